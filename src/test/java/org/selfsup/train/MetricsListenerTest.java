package org.selfsup.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfsup.train.checkpoint.MetricsLog;

/**
 * The epoch line of an epoch resumed mid-way times only the batches run after the resume (the earlier
 * process's time is unknown); it says so with {@code resumed_at_batch} and {@code batches} instead of
 * passing a partial time off as the epoch's.
 */
class MetricsListenerTest {
    @TempDir
    Path dir;

    @Test
    void resumedEpochLineIsLabelled() {
        Path f = dir.resolve("metrics.jsonl");
        try (MetricsLog log = MetricsLog.open(f, 0, w -> fail(w))) {
            MetricsListener l = new MetricsListener(log, 10, 8, false);
            l.onEpochStart(1, 3); // resumed at batch 3 of 5
            l.onEpochEnd(1, 10, 2);
            l.onEpochStart(2, 0);
            l.onEpochEnd(2, 15, 5);
        }
        List<JsonNode> lines = MetricsLog.read(f);
        JsonNode resumed = lines.get(0);
        assertEquals(3, resumed.path("resumed_at_batch").asInt(-1), resumed.toString());
        assertEquals(2, resumed.path("batches").asInt(-1), resumed.toString());
        JsonNode whole = lines.get(1);
        assertFalse(whole.has("resumed_at_batch"), whole.toString());
        assertEquals(5, whole.path("batches").asInt(-1), whole.toString());
    }
}
