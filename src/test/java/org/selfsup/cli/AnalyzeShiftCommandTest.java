package org.selfsup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code selfsup analyze shift} on a checkpoint trained inside the test (VICReg, tiny, synthetic data). */
class AnalyzeShiftCommandTest {
    @TempDir
    static Path tmp;

    @BeforeAll
    static void trainTiny() {
        org.selfsup.model.TorchThreads.single();
        CliRun r = CliRun.execute("train", "--dataset", "synthetic", "--image-size", "16", "--method", "vicreg",
                "--plan", "byol", "--arch", "small", "--width", "8", "--batch-size", "16", "--epochs", "1", "--lr", "0.01",
                "--knn-every", "0", "--probe", "", "--threads", "1", "--runs-dir", tmp.resolve("runs").toString(),
                "--name", "tiny");
        assertEquals(0, r.code(), r.out() + r.err());
    }

    @Test
    void writesTheRankedTableAndIsDeterministic() throws Exception {
        String run = tmp.resolve("runs/tiny").toString();
        String[] args = {"analyze", "shift", "--checkpoint", run, "--images", "32", "--bank-images", "128",
                "--magnitudes", "9,30", "--k", "20", "--seed", "5"};
        CliRun a = CliRun.execute(concat(args, "--out", tmp.resolve("a").toString()));
        assertEquals(0, a.code(), a.out() + a.err());
        assertTrue(a.out().contains("largest shifts:"), a.out());
        CliRun b = CliRun.execute(concat(args, "--out", tmp.resolve("b").toString(), "--workers", "2"));
        assertEquals(0, b.code(), b.err());
        for (String f : new String[] {"shift.json", "shift.csv", "index.html"}) {
            assertTrue(Files.size(tmp.resolve("a").resolve(f)) > 0, f);
        }
        assertEquals(Files.readString(tmp.resolve("a/shift.csv")), Files.readString(tmp.resolve("b/shift.csv")),
                "two runs (one and two workers), identical numbers");
        JsonNode json = new ObjectMapper().readTree(tmp.resolve("a/shift.json").toFile());
        assertEquals(32, json.get("images").asInt());
        assertEquals(128, json.get("bank").asInt());
        JsonNode rows = json.get("rows");
        assertEquals(1 + 13 * 2 + 3 + 4 + 3 + 3 + 1 + 1, rows.size());
        for (JsonNode row : rows) {
            if (row.get("family").asText().equals("identity")) {
                assertEquals(0.0, row.get("shift").asDouble());
            }
        }
        String html = Files.readString(tmp.resolve("a/index.html"));
        assertTrue(html.contains("class=\"bar\"") && html.contains("TRANSLATE_X_ABS"), "bars per operation");
    }

    @Test
    void badMagnitudeIsAUserError() {
        CliRun r = CliRun.execute("analyze", "shift", "--checkpoint", tmp.resolve("runs/tiny").toString(),
                "--magnitudes", "31", "--out", tmp.resolve("c").toString());
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("--magnitudes"), r.err());
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
