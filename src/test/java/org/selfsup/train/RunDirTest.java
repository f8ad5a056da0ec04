package org.selfsup.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.selfsup.train.checkpoint.MetricsLog;
import org.selfsup.train.checkpoint.RunDir;
import org.selfsup.util.UserException;

class RunDirTest {
    @TempDir
    Path runs;

    @Test
    void secondOpenOfTheSameRunFailsClearly() {
        try (RunDir first = RunDir.open(runs, "r1")) {
            UserException e = assertThrows(UserException.class, () -> RunDir.open(runs, "r1"));
            assertTrue(e.getMessage().contains("in use by another selfsup process"), e.getMessage());
            // another name is fine
            RunDir.open(runs, "r2").close();
        }
        // released on close
        RunDir.open(runs, "r1").close();
    }

    @Test
    void staleLockFileDoesNotBlock() throws IOException {
        Files.createDirectories(runs.resolve("r"));
        Files.writeString(runs.resolve("r").resolve(RunDir.LOCK), "12345\n"); // left by a killed process
        try (RunDir d = RunDir.open(runs, "r")) {
            assertTrue(Files.isDirectory(d.checkpoints()));
        }
    }

    @Test
    void badNameIsAUserError() {
        assertThrows(UserException.class, () -> RunDir.open(runs, "a/b"));
        assertThrows(UserException.class, () -> RunDir.open(runs, ""));
    }

    @Test
    void writesConfigYaml() throws IOException {
        try (RunDir d = RunDir.open(runs, "c")) {
            d.writeConfig("batch-size: 8\n");
            assertEquals("batch-size: 8", Files.readString(d.configFile()).trim());
        }
    }

    @Test
    void metricsAreCutBackToTheCheckpointOnResume() throws IOException {
        Path f = runs.resolve("metrics.jsonl");
        try (MetricsLog log = MetricsLog.open(f, 0, w -> fail(w))) {
            for (int k = 1; k <= 6; k++) {
                log.write("step", Map.of("step", k, "loss", 1.0 / k));
            }
            log.write("epoch", Map.of("epoch", 0, "step", 6));
            log.write("summary", Map.of("knn_top1", 50.0));
        }
        Files.writeString(f, "{\"type\":\"step\",\"st", java.nio.file.StandardOpenOption.APPEND); // cut by a kill
        try (MetricsLog log = MetricsLog.open(f, 4, w -> fail(w))) {
            log.write("step", Map.of("step", 5, "loss", Double.NaN));
        }
        List<JsonNode> recs = MetricsLog.read(f);
        assertEquals(5, recs.size());
        for (int i = 0; i < 5; i++) {
            assertEquals(i + 1, recs.get(i).get("step").asLong());
        }
        assertEquals("NaN", recs.get(4).get("loss").asText());
        assertEquals(5, Files.readAllLines(f).size(), "the half-written line is gone");
    }

    /**
     * Damaged lines in metrics.jsonl (a non-UTF-8 byte made the whole file unreadable, blocking resume; garbage
     * text was dropped silently): resume keeps every good line up to the checkpoint and warns once, saying
     * whether anything before the checkpoint was lost. Steps 1..6 are logged, the checkpoint is at step 4.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            0xff byte past the checkpoint   | 5 | FF      | 1 line (6): not UTF-8 text; all past the checkpoint's step 4
            garbage past the checkpoint     | 6 | garbage | 1 line (7): not a JSON object; all past the checkpoint's step 4
            0xff byte before the checkpoint | 2 | FF      | 1 line (3): not UTF-8 text; 1 of them before the checkpoint's step 4: those records are lost
            two damaged lines               | 1 | FF+FF   | 2 lines (2, 3): not UTF-8 text (first); 2 of them before the checkpoint's step 4
            """)
    void damagedMetricsLinesDoNotBlockResume(String label, int after, String damage, String expected)
            throws IOException {
        Path f = runs.resolve("metrics.jsonl");
        List<byte[]> lines = new ArrayList<>();
        for (int k = 1; k <= 6; k++) {
            lines.add(("{\"type\":\"step\",\"step\":" + k + "}").getBytes(StandardCharsets.UTF_8));
        }
        byte[] ff = {'{', '"', 't', 'y', (byte) 0xff, '"', '}'};
        for (String d : damage.split("\\+")) {
            lines.add(after, d.equals("FF") ? ff : "<<<<<<< merge garbage".getBytes(StandardCharsets.UTF_8));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (byte[] l : lines) {
            bytes.write(l);
            bytes.write('\n');
        }
        Files.write(f, bytes.toByteArray());
        List<String> warnings = new ArrayList<>();
        try (MetricsLog log = MetricsLog.open(f, 4, warnings::add)) {
            log.write("step", Map.of("step", 5));
        }
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("warning: " + f + ": dropped " + expected), warnings.get(0));
        List<Long> steps = MetricsLog.read(f).stream().map(n -> n.get("step").asLong()).toList();
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), steps);
        assertEquals(5, Files.readAllLines(f, StandardCharsets.UTF_8).size(), "the file is clean UTF-8 again");
    }

    @Test
    void durationFormat() {
        assertEquals("1:01:05", org.selfsup.util.Durations.clock(3665));
        assertEquals("?", org.selfsup.util.Durations.clock(Double.NaN));
    }
}
