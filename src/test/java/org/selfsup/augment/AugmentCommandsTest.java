package org.selfsup.augment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfsup.cli.CliRun;
import org.selfsup.cli.Main;
import org.selfsup.data.Image;
import org.selfsup.data.ImageStore;
import org.selfsup.util.Seeds;
import picocli.CommandLine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code selfsup augment preview} and {@code selfsup bench aug} through the CLI. */
class AugmentCommandsTest {
    @TempDir
    Path dir;

    private static CliRun run(String... args) {
        return CliRun.execute(args);
    }

    @Test
    void previewWritesAGridWithSourcesAndViews() throws Exception {
        Path png = dir.resolve("sub/rsa.png");
        CliRun r = run("augment", "preview", "--dataset", "synthetic", "--plan", "rsa", "--out", png.toString(),
                "--count", "3", "--scale", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("rsa views [w1, w2, a1, a2]"), r.out());
        BufferedImage img = ImageIO.read(png.toFile());
        // 5 columns (source + 4 views) of 64 px cells with 4 px gaps; header 18 px + 3 rows
        assertEquals(4 + 5 * (64 + 4), img.getWidth());
        assertEquals(18 + 4 + 3 * (64 + 4), img.getHeight());
        try (var files = Files.list(png.getParent())) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void previewPixelsAreTheUpscaledSourceAndViews() {
        ImageStore store = TestImages.store(4, 32, 32, 3, 61);
        ViewPlan plan = org.selfsup.augment.plans.ViewPlans.create("byol", 32, null);
        BufferedImage g = PreviewGrid.render(store, plan, new int[] {2}, 5, 2);
        Image src = store.rgb(2);
        Image v2 = plan.views(src, Seeds.stream(5, Seeds.AUGMENT, 0, 2)).get(1);
        int y0 = 18 + 4;
        assertEquals(rgb(src, 7, 9), g.getRGB(4 + 9 * 2 + 1, y0 + 7 * 2 + 1) & 0xFFFFFF);
        int x0 = 4 + 2 * (64 + 4);
        assertEquals(rgb(v2, 30, 3), g.getRGB(x0 + 3 * 2, y0 + 30 * 2 + 1) & 0xFFFFFF);
    }

    @Test
    void previewRejectsBadArguments() {
        CliRun r = run("augment", "preview", "--dataset", "synthetic", "--plan", "simclr", "--out", dir.resolve("x.png").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("error: --plan: unknown view plan 'simclr'"), r.err());
        r = run("augment", "preview", "--dataset", "synthetic", "--count", "0", "--out", dir.resolve("x.png").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--count"), r.err());
        assertFalse(Files.exists(dir.resolve("x.png")));
    }

    @Test
    void benchAugPrintsAReadableLineAndJson() throws Exception {
        CliRun r = run("bench", "aug", "--plan", "dssl", "--threads", "2", "--images", "64", "--batch", "16",
                "--seconds", "0.3", "--warmup", "0.1", "--repeats", "2");
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertEquals(2, lines.length, r.out());
        assertTrue(lines[0].startsWith("bench aug: plan dssl-cifar (4 views of 32x32 from synthetic 32x32)"), lines[0]);
        JsonNode j = new ObjectMapper().readTree(lines[1]);
        assertEquals("dssl-cifar", j.get("plan").asText());
        assertEquals(4, j.get("views").asInt());
        assertTrue(j.get("src_img_per_s").asDouble() > 0);
        assertEquals(2, j.get("windows_src_img_per_s").size());
        CliRun ds = run("bench", "aug", "--plan", "rsa", "--dataset", "synthetic", "--size", "0", "--images", "48",
                "--batch", "16", "--seconds", "0.2", "--warmup", "0.1");
        assertEquals(0, ds.code(), ds.err());
        JsonNode dj = new ObjectMapper().readTree(ds.out().strip().split("\n")[1]);
        assertEquals(48, dj.get("images").asInt());
        assertEquals(32, dj.get("size").asInt());
        assertTrue(dj.get("source").asText().startsWith("synthetic 32x32x3"), dj.toString());
        CliRun bad = run("bench", "aug", "--threads", "0");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--threads"), bad.err());
    }

    private static int rgb(Image img, int y, int x) {
        return (img.get(y, x, 0) << 16) | (img.get(y, x, 1) << 8) | img.get(y, x, 2);
    }
}
