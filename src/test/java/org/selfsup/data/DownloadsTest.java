package org.selfsup.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfsup.data.readers.DatasetRegistry;
import org.selfsup.data.readers.Downloads;
import org.selfsup.data.readers.TarGz;
import org.selfsup.util.UserException;

/** The downloader against a loopback HTTP server (tests never reach the internet), and the tar reader. */
class DownloadsTest {
    private static final byte[] BODY = "hello selfsup, this is a small file\n".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;
    private HttpServer server;
    private String base;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/file.bin", ex -> {
            ex.sendResponseHeaders(200, BODY.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(BODY);
            }
        });
        server.createContext("/missing", ex -> {
            ex.sendResponseHeaders(404, -1);
            ex.close();
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static String hex(String algo, byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algo).digest(b));
    }

    private List<Path> leftovers() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(".")).toList();
        }
    }

    @Test
    void downloadsAndVerifiesSha256AndMd5() throws Exception {
        Path target = dir.resolve("file.bin");
        Downloads.fetch(URI.create(base + "/file.bin"), target, hex("SHA-256", BODY), hex("MD5", BODY), Duration.ofSeconds(5));
        assertArrayEquals(BODY, Files.readAllBytes(target));
        assertTrue(leftovers().isEmpty());
    }

    @Test
    void checksumMismatchLeavesNoFile() throws Exception {
        Path target = dir.resolve("file.bin");
        String wrong = "0".repeat(64);
        UserException e = assertThrows(UserException.class, () -> Downloads.fetch(URI.create(base + "/file.bin"), target,
                wrong, null, Duration.ofSeconds(5)));
        assertTrue(e.getMessage().contains("SHA-256 checksum mismatch") && e.getMessage().contains(hex("SHA-256", BODY)),
                e.getMessage());
        UserException e2 = assertThrows(UserException.class, () -> Downloads.fetch(URI.create(base + "/file.bin"), target,
                null, "0".repeat(32), Duration.ofSeconds(5)));
        assertTrue(e2.getMessage().contains("MD5 checksum mismatch"), e2.getMessage());
        assertFalse(Files.exists(target));
        assertTrue(leftovers().isEmpty());
    }

    @Test
    void httpErrorAndRefusedConnectionAreUserErrors() throws Exception {
        Path target = dir.resolve("x");
        UserException e = assertThrows(UserException.class, () -> Downloads.fetch(URI.create(base + "/missing"), target,
                null, null, Duration.ofSeconds(5)));
        assertTrue(e.getMessage().contains("HTTP status 404"), e.getMessage());
        int freePort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            freePort = s.getLocalPort();
        }
        UserException e2 = assertThrows(UserException.class, () -> Downloads.fetch(
                URI.create("http://127.0.0.1:" + freePort + "/f"), target, null, null, Duration.ofSeconds(2)));
        assertTrue(e2.getMessage().contains("no network connection"), e2.getMessage());
        assertFalse(Files.exists(target));
    }

    /** A tar.gz written by hand in the ustar layout: one directory and two files (one with a long name). */
    static byte[] tarGz(String[] names, byte[][] contents) throws IOException {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        for (int i = 0; i < names.length; i++) {
            byte[] name = names[i].getBytes(StandardCharsets.UTF_8);
            if (name.length > 100) {
                tar.write(header("././@LongLink", name.length + 1, 'L'));
                tar.write(name);
                tar.write(new byte[512 - name.length % 512]);
            }
            boolean isDir = names[i].endsWith("/");
            tar.write(header(name.length > 100 ? "trunc" : names[i], isDir ? 0 : contents[i].length, isDir ? '5' : '0'));
            if (!isDir) {
                tar.write(contents[i]);
                tar.write(new byte[(512 - contents[i].length % 512) % 512]);
            }
        }
        tar.write(new byte[1024]);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(gz)) {
            g.write(tar.toByteArray());
        }
        return gz.toByteArray();
    }

    private static byte[] header(String name, long size, char type) {
        byte[] h = new byte[512];
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(n, 0, h, 0, n.length);
        put(h, 100, String.format("%07o", 0644));
        put(h, 124, String.format("%011o", size));
        put(h, 136, String.format("%011o", 0));
        h[156] = (byte) type;
        put(h, 257, "ustar");
        put(h, 263, "00");
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        int sum = 0;
        for (byte b : h) {
            sum += b & 0xFF;
        }
        put(h, 148, String.format("%06o", sum));
        return h;
    }

    private static void put(byte[] h, int off, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, off, b.length);
    }

    @Test
    void tarReaderExtractsFilesAndLongNames() throws IOException {
        String longName = "cifar-10-batches-bin/" + "x".repeat(120) + ".bin";
        byte[] big = new byte[1500];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) i;
        }
        Path archive = dir.resolve("a.tar.gz");
        Files.write(archive, tarGz(new String[] {"cifar-10-batches-bin/", "cifar-10-batches-bin/test_batch.bin", longName},
                new byte[][] {null, big, "meta".getBytes(StandardCharsets.UTF_8)}));
        List<Path> files = TarGz.extract(archive, dir.resolve("out"));
        assertEquals(2, files.size());
        assertArrayEquals(big, Files.readAllBytes(dir.resolve("out/cifar-10-batches-bin/test_batch.bin")));
        assertEquals("meta", Files.readString(dir.resolve("out").resolve(longName)));
    }

    @Test
    void tarReaderRejectsPathsLeavingTheTarget() throws IOException {
        Path archive = dir.resolve("evil.tar.gz");
        Files.write(archive, tarGz(new String[] {"../evil.txt"}, new byte[][] {{1}}));
        UserException e = assertThrows(UserException.class, () -> TarGz.extract(archive, dir.resolve("out")));
        assertTrue(e.getMessage().contains("outside"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("evil.txt")));
    }

    @Test
    void downloadIsRejectedForDataSetsWithoutOfficialFiles() {
        DataOptions o = new DataOptions();
        o.download = true;
        UserException e = assertThrows(UserException.class, () -> DatasetRegistry.load("imagefolder", dir, o));
        assertTrue(e.getMessage().contains("--download is not available for 'imagefolder'"), e.getMessage());
    }
}
