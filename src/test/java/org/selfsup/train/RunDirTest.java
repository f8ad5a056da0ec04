package org.selfsup.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
        try (MetricsLog log = MetricsLog.open(f, 0)) {
            for (int k = 1; k <= 6; k++) {
                log.write("step", Map.of("step", k, "loss", 1.0 / k));
            }
            log.write("epoch", Map.of("epoch", 0, "step", 6));
            log.write("summary", Map.of("knn_top1", 50.0));
        }
        Files.writeString(f, "{\"type\":\"step\",\"st", java.nio.file.StandardOpenOption.APPEND); // cut by a kill
        try (MetricsLog log = MetricsLog.open(f, 4)) {
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

    @Test
    void durationFormat() {
        assertEquals("1:01:05", ProgressBar.formatDuration(3665));
        assertEquals("?", ProgressBar.formatDuration(Double.NaN));
    }
}
