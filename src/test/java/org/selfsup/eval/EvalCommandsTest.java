package org.selfsup.eval;

import ai.djl.ndarray.NDManager;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfsup.method.MethodRegistry;
import org.selfsup.cli.CliRun;
import org.selfsup.cli.Main;
import org.selfsup.config.TrainConfig;
import org.selfsup.model.ModelSpec;
import org.selfsup.model.SslModel;
import picocli.CommandLine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The eval, export and embed commands end to end on a small checkpoint and synthetic data. */
class EvalCommandsTest {
    @TempDir
    static Path tmp;
    static Path ckpt;

    @BeforeAll
    static void checkpoint() throws Exception {
        TrainConfig config = TestCheckpoints.syntheticConfig();
        ModelSpec spec = MethodRegistry.modelSpec("rsa", "small", 8, List.of(1, 1, 1, 1), null);
        ckpt = tmp.resolve("run/checkpoints/last.ckpt");
        Files.createDirectories(ckpt.getParent());
        try (NDManager m = NDManager.newBaseManager(); SslModel model = SslModel.create(spec, true, true, m, 16, 4)) {
            TestCheckpoints.write(ckpt, config, spec, model, 2);
        }
    }

    private static CliRun run(String... args) {
        return CliRun.execute(args);
    }

    @Test
    void knnOnTheCheckpointsData() {
        // a checkpoint file: a run folder goes through CheckpointStore.loadLatest, which (train branch e6e8a28)
        // rejects the optimiser part that follows the backbone as "trailing bytes"
        CliRun r = run("eval", "knn", "--checkpoint", ckpt.toString(), "--batch-size", "200", "--random-init");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().matches("(?s)kNN \\(k=200, t=0.1, knn-transform plain\\) on synthetic: top-1 \\d+\\.\\d\\d% .*\\(200 test images, "
                + "bank 1000\\)\\s+same architecture at random initialisation \\(seed 0\\): top-1 .*"), r.out());
    }

    @Test
    void fastLinearProbeWithValidation() throws Exception {
        Path json = tmp.resolve("probe.json");
        CliRun r = run("eval", "linear", "--checkpoint", ckpt.toString(), "--protocol", "fast", "--epochs", "2",
                "--val-fraction", "0.1", "--out", json.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("probe fast epoch 2/2"), r.out());
        assertTrue(r.out().contains("linear probe (fast, 2 epochs) on synthetic: final-epoch test top-1"), r.out());
        assertTrue(r.out().contains("(200 test images)"), r.out());
        assertTrue(r.out().contains("best epoch on the validation split (100 images)"), r.out());
        assertTrue(Files.readString(json).contains("\"testImages\" : 200"));
    }

    @Test
    void userErrors() throws Exception {
        CliRun missing = run("eval", "knn", "--checkpoint", tmp.resolve("nope.ckpt").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().startsWith("error: checkpoint: ") && missing.err().contains("nope.ckpt"), missing.err());
        Files.writeString(tmp.resolve("junk.ckpt"), "not a checkpoint");
        CliRun junk = run("export", "--checkpoint", tmp.resolve("junk.ckpt").toString(), "--out",
                tmp.resolve("x").toString());
        assertEquals(2, junk.code());
        assertTrue(junk.err().startsWith("error: checkpoint: "), junk.err());
        CliRun protocol = run("eval", "linear", "--checkpoint", ckpt.toString(), "--protocol", "imagenet");
        assertEquals(2, protocol.code());
        assertTrue(protocol.err().contains("--protocol: unknown probe protocol 'imagenet'"), protocol.err());
        CliRun frac = run("eval", "linear", "--checkpoint", ckpt.toString(), "--protocol", "fast", "--val-fraction", "1");
        assertEquals(2, frac.code());
        assertTrue(frac.err().contains("--val-fraction"), frac.err());
        CliRun k = run("eval", "knn", "--checkpoint", ckpt.toString(), "--k", "0");
        assertEquals(2, k.code());
        CliRun images = run("embed", "--checkpoint", ckpt.toString(), "--images", tmp.resolve("none").toString(),
                "--out", tmp.resolve("x.csv").toString());
        assertEquals(2, images.code());
        assertTrue(images.err().contains("--images: "), images.err());
    }

    @Test
    void exportAndEmbed() throws Exception {
        CliRun r = run("export", "--checkpoint", ckpt.toString(), "--out", tmp.resolve("exported").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("64-d features, 16x16 input)"), r.out());
        assertTrue(Files.exists(tmp.resolve("exported/encoder-0000.params")));
        assertTrue(Files.readString(tmp.resolve("exported/encoder.json")).contains("\"inputSize\" : 16"));

        Path images = Files.createDirectories(tmp.resolve("imgs/sub"));
        for (int i = 0; i < 3; i++) {
            BufferedImage img = new BufferedImage(20 + i, 24, BufferedImage.TYPE_INT_RGB);
            img.setRGB(3, 4, 0xff8040 * (i + 1));
            ImageIO.write(img, i == 2 ? "jpg" : "png", images.resolve("im" + i + (i == 2 ? ".jpg" : ".png")).toFile());
        }
        Files.writeString(images.resolve("notes.txt"), "not an image");
        Path csv = tmp.resolve("emb.csv");
        CliRun e = run("embed", "--checkpoint", ckpt.toString(), "--images", tmp.resolve("imgs").toString(), "--out",
                csv.toString(), "--l2-normalize");
        assertEquals(0, e.code(), e.err());
        List<String> lines = Files.readAllLines(csv);
        assertEquals(4, lines.size());
        assertTrue(lines.get(0).startsWith("path,f0,f1,") && lines.get(0).endsWith(",f63"));
        assertTrue(lines.get(1).startsWith("sub/im0.png,"));
        assertTrue(lines.get(3).startsWith("sub/im2.jpg,"));
        String[] cells = lines.get(2).split(",");
        assertEquals(65, cells.length);
        double norm = 0;
        for (int i = 1; i < cells.length; i++) {
            norm += Math.pow(Double.parseDouble(cells[i]), 2);
        }
        assertEquals(1.0, norm, 1e-4);
    }
    /**
     * Issue 22 item 12: an indexing warning is printed once, and a file name that is not valid UTF-8 is
     * written percent-encoded (with '%' itself as %25), so every row leads back to its file.
     */
    @Test
    void embedWarnsOnceAndWritesFileNamesReversibly() throws Exception {
        Path images = Files.createDirectories(tmp.resolve("names"));
        BufferedImage img = new BufferedImage(20, 24, BufferedImage.TYPE_INT_RGB);
        ImageIO.write(img, "png", images.resolve("plain.png").toFile());
        Files.copy(images.resolve("plain.png"), images.resolve("caf\u00e9.png"));
        Files.copy(images.resolve("plain.png"), images.resolve("100%.png"));
        Process p = new ProcessBuilder("sh", "-c", "cp plain.png \"$(printf 'bad\\377name.png')\"")
                .directory(images.toFile()).inheritIO().start();
        assertEquals(0, p.waitFor());
        Files.write(images.resolve("empty.png"), new byte[0]);
        Path csv = tmp.resolve("names.csv");
        java.io.PrintStream old = System.err;
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8));
        CliRun e;
        try {
            e = run("embed", "--checkpoint", ckpt.toString(), "--images", images.toString(), "--out", csv.toString());
        } finally {
            System.setErr(old);
        }
        String err = buf.toString(java.nio.charset.StandardCharsets.UTF_8) + e.err();
        assertEquals(0, e.code(), err);
        assertEquals(1, err.split("empty.png", -1).length - 1, "the warning about empty.png once: " + err);
        List<String> paths = Files.readAllLines(csv).stream().skip(1).map(l -> l.substring(0, l.indexOf(','))).toList();
        assertEquals(List.of("100%25.png", "bad%FFname.png", "caf\u00e9.png", "plain.png"),
                paths.stream().sorted().toList(), paths.toString());
        // percent-decoded to bytes, each cell is the name of a file in the folder (as ls prints the bytes)
        Process ls = new ProcessBuilder("ls", "-1").directory(images.toFile()).start();
        List<String> listed = List.of(new String(ls.getInputStream().readAllBytes(),
                java.nio.charset.StandardCharsets.ISO_8859_1).split("\n"));
        for (String cell : paths) {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            for (int i = 0; i < cell.length(); i++) {
                if (cell.charAt(i) == '%') {
                    bytes.write(Integer.parseInt(cell.substring(i + 1, i + 3), 16));
                    i += 2;
                } else {
                    bytes.writeBytes(String.valueOf(cell.charAt(i)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
            }
            assertTrue(listed.contains(bytes.toString(java.nio.charset.StandardCharsets.ISO_8859_1)), cell + " in " + listed);
        }
    }
}
