package org.selfsup.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code selfsup report render} on a run killed while it wrote a metrics line (the last line has no newline
 * and is cut short) draws the report from the complete lines, silently; a damaged line in the middle is
 * skipped with one warning naming file and line (issue 16 item 7: it used to make the report impossible).
 */
class KilledRunReportTest {
    @TempDir
    Path dir;

    @Test
    void unfinishedLastLineIsIgnoredDamagedMiddleLineIsWarnedAbout() throws Exception {
        Path run = dir.resolve("run");
        Files.createDirectories(run);
        Path metrics = run.resolve("metrics.jsonl");
        StringBuilder text = new StringBuilder();
        for (int k = 1; k <= 6; k++) {
            text.append("{\"type\":\"step\",\"step\":").append(k).append(",\"epoch\":").append((k - 1) / 3)
                    .append(",\"lr\":0.1,\"loss\":").append(1.0 / k).append("}\n");
        }
        text.append("{\"type\":\"epoch\",\"epoch\":0,\"step\":3,\"seconds\":1.0,\"img_per_s\":24.0}\n");
        Files.writeString(metrics, text + "{\"type\":\"step\",\"step\":7,\"ep");
        ChildRuns.Result r = ChildRuns.inProcess(List.of("report", "render", run.toString()));
        assertEquals(0, r.code(), r.all());
        assertTrue(Files.size(run.resolve("report.html")) > 0);
        assertEquals("", r.err(), "a line cut by a kill is expected, not warned about");

        Files.writeString(metrics, text.toString().replace("\"step\":4,", "\"step\":4"));
        r = ChildRuns.inProcess(List.of("report", "render", run.toString()));
        assertEquals(0, r.code(), r.all());
        assertEquals("warning: " + metrics + ": skipped 1 line (4): not a JSON object", r.err().strip());
    }
}
