package org.selfsup.data.readers;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.selfsup.data.BinaryFiles;
import org.selfsup.util.AtomicFiles;
import org.selfsup.util.UserException;

/**
 * {@code --download}: fetches the official files of Fashion-MNIST, CIFAR-10/100 (binary) and STL-10
 * (binary) when they are missing, verifies their checksums and unpacks archives.
 *
 * <p>Checksums: SHA-256 where a published value is known (the CIFAR-10 binary archive), otherwise the
 * official MD5 as published by the data set authors and used in torchvision's data set code. A download
 * goes to a temporary file next to the target, is verified, then renamed, so an interrupted or corrupt
 * download never leaves a file that looks complete. The connection timeout is short, so a machine
 * without network fails at once with a clear message.
 */
public final class Downloads {
    /** How long to wait for a connection before giving up. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    /** A file to fetch: its address, the name to store it under and its checksums (null when unknown). */
    public record Resource(String url, String fileName, String sha256, String md5) {}

    private static final String FMNIST = "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/";
    private static final List<Resource> FASHION_MNIST = List.of(
            new Resource(FMNIST + "train-images-idx3-ubyte.gz", "train-images-idx3-ubyte.gz", null,
                    "8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
            new Resource(FMNIST + "train-labels-idx1-ubyte.gz", "train-labels-idx1-ubyte.gz", null,
                    "25c81989df183df01b3e8a0aad5dffbe"),
            new Resource(FMNIST + "t10k-images-idx3-ubyte.gz", "t10k-images-idx3-ubyte.gz", null,
                    "bef4ecab320f06d8554ea6380940ec79"),
            new Resource(FMNIST + "t10k-labels-idx1-ubyte.gz", "t10k-labels-idx1-ubyte.gz", null,
                    "bb300cfdad3c16e7a12a480ee83cd310"));
    private static final Resource CIFAR10 = new Resource("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz",
            "cifar-10-binary.tar.gz", "c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd",
            "c32a1d4ab5d03f1284b67883e8d87530");
    private static final Resource CIFAR100 = new Resource("https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz",
            "cifar-100-binary.tar.gz", null, "03b5dce01913d631647c71ecec9e9cb8");
    private static final Resource STL10 = new Resource("http://ai.stanford.edu/~acoates/stl10/stl10_binary.tar.gz",
            "stl10_binary.tar.gz", null, "91f7769df0f17e558f3565bffb0c7dfb");

    private Downloads() {}

    /** Fashion-MNIST's four IDX files into {@code dir}, each unless it is there (gzipped or not). */
    public static void fashionMnist(Path dir) {
        createDir(dir);
        for (Resource r : FASHION_MNIST) {
            Path f = dir.resolve(r.fileName());
            if (!Files.isRegularFile(f) && !Files.isRegularFile(dir.resolve(r.fileName().replace(".gz", "")))) {
                fetch(r, f);
            }
        }
    }

    /** CIFAR-10's binary archive, unpacked into {@code dir}, unless its files are there. */
    public static void cifar10(Path dir) {
        archive(CIFAR10, createDir(dir), "cifar-10-batches-bin", "data_batch_1.bin", "data_batch_2.bin",
                "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin", "test_batch.bin");
    }

    /** CIFAR-100's binary archive, unpacked into {@code dir}, unless its files are there. */
    public static void cifar100(Path dir) {
        archive(CIFAR100, createDir(dir), "cifar-100-binary", "train.bin", "test.bin");
    }

    /** STL-10's binary archive, unpacked into {@code dir}, unless its files are there. */
    public static void stl10(Path dir) {
        archive(STL10, createDir(dir), "stl10_binary", "train_X.bin", "train_y.bin", "test_X.bin", "test_y.bin",
                "unlabeled_X.bin");
    }

    private static Path createDir(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UserException(dir + ": cannot create download folder (" + e.getMessage() + ")");
        }
        return dir;
    }

    private static void archive(Resource r, Path dir, String folder, String... required) {
        Path d = BinaryFiles.maybeSub(dir, folder);
        boolean complete = true;
        for (String f : required) {
            complete &= Files.isRegularFile(d.resolve(f));
        }
        if (complete) {
            return;
        }
        Path archive = dir.resolve(r.fileName());
        if (!Files.isRegularFile(archive)) {
            fetch(r, archive);
        }
        try {
            System.err.println("extracting " + archive + " -> " + dir);
            TarGz.extract(archive, dir);
            Files.delete(archive);
        } catch (IOException e) {
            throw new UserException(archive + ": cannot extract (" + e.getMessage() + ")");
        }
    }

    /** Fetches {@code r.url()} to {@code target} with the default connection timeout. */
    public static void fetch(Resource r, Path target) {
        fetch(URI.create(r.url()), target, r.sha256(), r.md5(), CONNECT_TIMEOUT);
    }

    /**
     * Downloads {@code uri} to {@code target}: to a temporary file first, checked against {@code sha256}
     * (if not null) and {@code md5} (if not null), then renamed.
     *
     * @throws UserException on no network, an HTTP error or a checksum mismatch
     */
    public static void fetch(URI uri, Path target, String sha256, String md5, Duration connectTimeout) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpRequest req = HttpRequest.newBuilder(uri).timeout(connectTimeout.multipliedBy(3)).GET().build();
        Path tmp = null;
        try {
            Path dir = target.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            tmp = dir.resolve(AtomicFiles.TMP_PREFIX + target.getFileName() + ".part");
            System.err.println("downloading " + uri + " -> " + target);
            HttpResponse<InputStream> resp = client.send(req, HttpResponse.BodyHandlers.ofInputStream());
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            MessageDigest m5 = MessageDigest.getInstance("MD5");
            try (InputStream in = resp.body()) {
                if (resp.statusCode() != 200) {
                    throw new UserException("cannot download " + uri + ": HTTP status " + resp.statusCode());
                }
                try (OutputStream out = Files.newOutputStream(tmp)) {
                    byte[] buf = new byte[1 << 16];
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        sha.update(buf, 0, n);
                        m5.update(buf, 0, n);
                        out.write(buf, 0, n);
                    }
                }
            }
            check(uri, "SHA-256", sha256, sha.digest());
            check(uri, "MD5", md5, m5.digest());
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (HttpConnectTimeoutException | ConnectException | UnknownHostException e) {
            throw new UserException("cannot download " + uri + ": no network connection (" + e + ")");
        } catch (HttpTimeoutException e) {
            throw new UserException("cannot download " + uri + ": the server did not answer in time");
        } catch (IOException e) {
            throw new UserException("cannot download " + uri + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserException("download of " + uri + " interrupted");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: a stale .part file is harmless
                }
            }
        }
    }

    private static void check(URI uri, String algo, String expected, byte[] digest) {
        if (expected == null) {
            return;
        }
        String got = HexFormat.of().formatHex(digest);
        if (!got.equalsIgnoreCase(expected)) {
            throw new UserException("cannot download " + uri + ": " + algo + " checksum mismatch (expected "
                    + expected.toLowerCase() + ", got " + got + ")");
        }
    }
}
