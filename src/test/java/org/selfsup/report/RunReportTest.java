package org.selfsup.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.selfsup.cli.Main;
import org.selfsup.util.UserException;
import picocli.CommandLine;

class RunReportTest {
    @TempDir
    Path tmp;

    @Test
    void readsTheContractSchema() throws IOException {
        Path run = SyntheticRuns.write(tmp, "rsa-demo", 5);
        Metrics m = Metrics.read(run.resolve("metrics.jsonl"));
        assertEquals(50, m.steps().size());
        assertEquals(5, m.evals().size());
        assertEquals(5, m.epochs().size());
        assertEquals(80.0, (Double) m.summary().get("knn_top1"), 1e-9);
        assertEquals(List.of("loss", "loss_ww", "loss_aw"), Metrics.keysWithPrefix(m.steps(), "loss"));
        assertEquals(List.of("shift_a1", "shift_a2"), Metrics.keysWithPrefix(m.steps(), "shift_"));
        Metrics.Series knn = Metrics.series("knn", m.evals(), "epoch", "knn_top1");
        assertEquals(4.0, knn.x()[4]);
        assertEquals(80.0, knn.y()[4], 1e-9);
        RunInfo info = RunInfo.load(run);
        assertEquals("rsa", info.config().get("method"));
        assertEquals(62.5, info.trainingSeconds(), 1e-9);
    }

    @Test
    void rendersChartsAndHtml() throws IOException {
        Path run = SyntheticRuns.write(tmp, "rsa-demo", 5);
        Path html = RunReport.render(run, w -> fail(w));
        for (String chart : List.of("knn", "loss", "shift", "lr", "tau", "beta", "proj_std", "throughput")) {
            Path png = run.resolve("charts").resolve(chart + ".png");
            BufferedImage img = ImageIO.read(png.toFile());
            assertNotNull(img, chart + " decodes");
            assertEquals(Charts.WIDTH, img.getWidth());
            assertEquals(Charts.HEIGHT, img.getHeight());
            assertTrue(distinctColours(img) > 5, chart + " has content");
        }
        String page = Files.readString(html);
        assertTrue(page.contains("rsa-demo"));
        assertTrue(page.contains("charts/shift.png"));
        assertTrue(page.contains("<td>final kNN top-1 (%)</td><td>80.00</td>"), page);
        assertTrue(page.contains("knn_top1_random</td><td>55.25"), page);
        assertTrue(page.contains("method: rsa"));
        try (var files = Files.list(run.resolve("charts"))) {
            assertFalse(files.anyMatch(p -> p.toString().endsWith(".tmp")), "no temp files left");
        }
    }

    @Test
    void comparesRuns() throws IOException {
        Path a = SyntheticRuns.write(tmp, "byol", 2);
        Path b = SyntheticRuns.write(tmp, "rsa", 4.5);
        Path out = tmp.resolve("cmp");
        RunComparison.compare(List.of(a, b), out, w -> fail(w));
        String csv = Files.readString(out.resolve("compare.csv"));
        String[] lines = csv.split("\n");
        assertEquals(3, lines.length);
        assertTrue(lines[0].startsWith("run,method,dataset,epochs,batch-size,final kNN top-1 (%)"), lines[0]);
        assertTrue(lines[1].startsWith("byol,rsa,fashion-mnist,5,64,68.00,"), lines[1]);
        assertTrue(lines[2].startsWith("rsa,rsa,fashion-mnist,5,64,78.00,"), lines[2]);
        assertTrue(Files.readString(out.resolve("compare.md")).contains("| rsa | rsa | fashion-mnist |"));
        String page = Files.readString(out.resolve("compare.html"));
        assertTrue(page.contains("<td>byol</td>") && page.contains("<td>rsa</td>"));
        for (String chart : List.of("knn", "loss", "shift")) {
            assertNotNull(ImageIO.read(out.resolve("charts").resolve(chart + ".png").toFile()), chart);
        }
    }

    @Test
    void missingOrEmptyMetricsAreUserErrors() throws IOException {
        Path run = Files.createDirectories(tmp.resolve("bad"));
        UserException missing = assertThrows(UserException.class, () -> RunReport.render(run, w -> { }));
        assertTrue(missing.getMessage().contains("metrics.jsonl: metrics file not found"), missing.getMessage());
        Files.writeString(run.resolve("metrics.jsonl"), "not json\n{\"step\":1}\n");
        UserException none = assertThrows(UserException.class, () -> RunReport.render(run, w -> { }));
        assertTrue(none.getMessage().contains("metrics.jsonl: metrics file holds no records"), none.getMessage());
    }

    /**
     * A damaged line (a byte that is not UTF-8, text that is not JSON, an object without a type) no longer
     * makes the report impossible (a non-UTF-8 byte failed the whole file): the line is skipped and one warning
     * names it; the good lines are all there.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            byte 0xff in a line   | FF       | 1 line (3): not UTF-8 text
            garbage text          | garbage  | 1 line (3): not a JSON object
            object without a type | notype   | 1 line (3): a JSON object without a "type" field
            two damaged lines     | FF+junk  | 2 lines (3, 5): not UTF-8 text (first)
            """)
    void damagedLinesAreSkippedWithOneWarning(String label, String damage, String expected) throws IOException {
        Path run = SyntheticRuns.write(tmp, "damaged", 3);
        Path file = run.resolve("metrics.jsonl");
        List<byte[]> lines = new ArrayList<>();
        for (String l : Files.readAllLines(file)) {
            lines.add(l.getBytes(StandardCharsets.UTF_8));
        }
        int good = lines.size();
        byte[] bad = switch (damage) {
            case "FF", "FF+junk" -> new byte[] {'{', '"', 't', (byte) 0xff, '"', '}'};
            case "garbage" -> "@@@ editor garbage".getBytes(StandardCharsets.UTF_8);
            case "notype" -> "{\"step\": 3}".getBytes(StandardCharsets.UTF_8);
            default -> throw new IllegalArgumentException(damage);
        };
        lines.add(2, bad);
        if (damage.equals("FF+junk")) {
            lines.add(4, "junk".getBytes(StandardCharsets.UTF_8));
        }
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        for (byte[] l : lines) {
            bytes.write(l);
            bytes.write('\n');
        }
        Files.write(file, bytes.toByteArray());
        List<String> warnings = new ArrayList<>();
        RunReport.render(run, warnings::add);
        assertEquals(List.of("warning: " + file + ": skipped " + expected), warnings);
        Metrics m = Metrics.read(file);
        assertEquals(good, m.steps().size() + m.evals().size() + m.epochs().size() + (m.summary().isEmpty() ? 0 : 1));
    }

    @Test
    void cliRendersAndFailsCleanly() throws IOException {
        Path run = SyntheticRuns.write(tmp, "cli-run", 3);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.newCommandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        assertEquals(0, cl.execute("report", "render", run.toString()), err.toString());
        assertTrue(out.toString().contains("report.html"));
        assertTrue(Files.exists(run.resolve("report.html")));

        assertEquals(0, cl.execute("report", "compare", run.toString(), run.toString(), "--out",
                tmp.resolve("c").toString()), err.toString());
        assertTrue(Files.exists(tmp.resolve("c/compare.csv")));

        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Files.writeString(empty.resolve("metrics.jsonl"), "\n");
        StringWriter err2 = new StringWriter();
        CommandLine cl2 = Main.newCommandLine();
        cl2.setErr(new PrintWriter(err2));
        cl2.setOut(new PrintWriter(new StringWriter()));
        assertEquals(2, cl2.execute("report", "render", empty.toString()));
        assertEquals("error: " + empty.resolve("metrics.jsonl") + ": metrics file holds no records",
                err2.toString().strip());
    }

    private static int distinctColours(BufferedImage img) {
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 3) {
            for (int x = 0; x < img.getWidth(); x += 3) {
                colours.add(img.getRGB(x, y));
            }
        }
        return colours.size();
    }
}
