package org.selfsup.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.selfsup.data.Dataset;
import org.selfsup.data.stream.StreamedImages;
import org.selfsup.data.stream.TarShards;
import org.selfsup.util.AtomicFiles;
import org.selfsup.util.UserException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code selfsup data pack}: writes an image folder's or list file's splits as WebDataset-style tar
 * shards ({@code OUT/train/train-000000.tar}, ..., {@code OUT/val/...}, {@code OUT/classes.txt}), which
 * {@code --dataset shards --data-dir OUT} then reads. The image files' bytes are copied unchanged.
 */
@Command(name = "pack", mixinStandardHelpOptions = true,
        description = "Write an image folder or list file as WebDataset-style tar shards (KEY.jpg + KEY.cls) "
                + "under --out, readable with --dataset shards.")
public final class DataPackCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    DatasetOptions data;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to write the shards into.")
    Path out;

    @Option(names = "--shard-size", paramLabel = "N", defaultValue = "1000",
            description = "Samples per shard (default: ${DEFAULT-VALUE}).")
    int shardSize;

    @Override
    public void run() {
        if (!data.dataset.equals("imagefolder") && !data.dataset.equals("listfile")) {
            throw new UserException("--dataset: data pack reads imagefolder or listfile, not '" + data.dataset + "'");
        }
        if (out.toString().isEmpty()) {
            throw new UserException("--out: empty path");
        }
        if (data.preresizeMaxSide != 0) {
            throw new UserException("--preresize-max-side: data pack copies the original image bytes; pre-resize when "
                    + "reading the shards (--dataset shards --preresize-max-side N)");
        }
        if (shardSize < 1) {
            throw new UserException("--shard-size must be at least 1, got " + shardSize);
        }
        if (data.dataset.equals("imagefolder") && data.dataDir != null && inside(out, data.dataDir)) {
            throw new UserException("--out: " + out + " is inside the image folder " + data.dataDir + " that is packed;"
                    + " its shard folders would be read as new classes next time: choose a folder outside it");
        }
        Dataset ds = data.load();
        PrintWriter console = spec.commandLine().getOut();
        int shards = pack((StreamedImages) ds.train(), out.resolve("train"), "train", console);
        if (ds.test() != null && ds.test().size() > 0) {
            shards += pack((StreamedImages) ds.test(), out.resolve("val"), "val", console);
        }
        List<String> classes = ds.train().classNames();
        if (!classes.isEmpty()) {
            try {
                AtomicFiles.write(out.resolve("classes.txt"),
                        o -> o.write((String.join("\n", classes) + "\n").getBytes(StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UserException("--out: cannot write " + out.resolve("classes.txt") + " (" + e.getMessage() + ")");
            }
        }
        console.printf(Locale.ROOT, "packed %s into %d shard(s) under %s; read with --dataset shards --data-dir %s%n",
                ds.name(), shards, out, out);
        console.flush();
    }

    /**
     * Whether {@code path} is {@code folder} or lies below it, links resolved (a path that does not exist
     * yet is resolved through its nearest existing parent).
     */
    static boolean inside(Path path, Path folder) {
        Path f = real(folder);
        Path p = real(path);
        return p.startsWith(f);
    }

    private static Path real(Path path) {
        Path abs = path.toAbsolutePath().normalize();
        Path existing = abs;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return abs;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(abs)).normalize();
        } catch (IOException e) {
            return abs;
        }
    }

    private int pack(StreamedImages set, Path dir, String prefix, PrintWriter console) {
        int n = set.size();
        List<Path> written = TarShards.write(set, dir, prefix, shardSize, done -> {
            console.printf(Locale.ROOT, "\r%s: %d/%d images", prefix, done, n);
            console.flush();
        });
        console.println();
        return written.size();
    }

}
