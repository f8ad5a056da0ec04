package org.selfsup.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfsup.config.TrainConfig;
import org.selfsup.data.Dataset;
import org.selfsup.eval.OnlineMonitor;
import org.selfsup.job.Pretraining;

/**
 * The online probe and RankMe in a real (tiny) run: pretraining is bit-identical with the probe on or off
 * (one PyTorch thread), its values reach the step and eval lines, and a resumed run restores its state.
 */
class OnlineMonitorRunTest {
    private static final int IMAGES = 32; // 4 steps per epoch

    @TempDir
    Path runs;

    @BeforeAll
    static void threads() {
        TinyRuns.singleThreaded();
    }

    private TrainConfig config(String name, boolean probe) {
        TrainConfig c = TinyRuns.config(runs, name, "byol", 2);
        c.onlineProbe = probe;
        c.knnEvery = 1;
        c.knnK = 5;
        c.tensorboard = false;
        c.torchThreads = 1;
        return c;
    }

    @Test
    void pretrainingIsBitIdenticalWithTheProbeOnOrOff() throws Exception {
        Dataset ds = TinyRuns.data(IMAGES);
        StringWriter text = new StringWriter();
        new Pretraining(config("on", true), new PrintWriter(text)).withDataset(ds).run();
        new Pretraining(config("off", false), new PrintWriter(text)).withDataset(ds).run();
        assertArrayEquals(TinyRuns.stateBytes(runs.resolve("off/checkpoints/last.ckpt")),
                TinyRuns.stateBytes(runs.resolve("on/checkpoints/last.ckpt")));

        List<JsonNode> on = MetricsLog.read(runs.resolve("on/metrics.jsonl"));
        List<JsonNode> off = MetricsLog.read(runs.resolve("off/metrics.jsonl"));
        for (int i = 0; i < on.size(); i++) {
            if (on.get(i).get("type").asText().equals("step")) {
                assertEquals(off.get(i).get("loss").asDouble(), on.get(i).get("loss").asDouble());
                assertTrue(on.get(i).has("online_probe_acc") && on.get(i).has("online_probe_ms"), on.get(i).toString());
                assertFalse(off.get(i).has("online_probe_acc"));
            }
        }
        List<JsonNode> evals = on.stream().filter(n -> n.get("type").asText().equals("eval")).toList();
        assertEquals(2, evals.size());
        for (JsonNode e : evals) {
            double top1 = e.get("online_probe_top1").asDouble();
            assertTrue(top1 >= 0 && top1 <= 100, e.toString());
            double rank = e.get("rankme").asDouble();
            // 16 test images, 64-dimensional features (width 8): at most 16
            assertTrue(rank > 1 && rank <= 16 + 1e-6, e.toString());
            assertTrue(e.has("knn_top1"));
        }
        // RankMe stays on without the probe
        assertTrue(off.stream().filter(n -> n.get("type").asText().equals("eval")).allMatch(n -> n.has("rankme")
                && !n.has("online_probe_top1")));
        assertTrue(Files.exists(runs.resolve("on/checkpoints/" + OnlineMonitor.STATE_FILE)));
    }

    @Test
    void resumedRunRestoresTheProbe() throws Exception {
        Dataset ds = TinyRuns.data(IMAGES);
        StringWriter text = new StringWriter();
        new Pretraining(config("full", true), new PrintWriter(text)).withDataset(ds).run();
        TrainConfig c = config("cut", true);
        c.checkpointSteps = 2;
        new Pretraining(c, new PrintWriter(text)).withDataset(ds).stopAfterSteps(6).run();
        text.getBuffer().setLength(0);
        new Pretraining(c, new PrintWriter(text)).withDataset(ds).run();
        assertFalse(text.toString().contains("online probe:"), text.toString());
        assertArrayEquals(Files.readAllBytes(runs.resolve("full/checkpoints/" + OnlineMonitor.STATE_FILE)),
                Files.readAllBytes(runs.resolve("cut/checkpoints/" + OnlineMonitor.STATE_FILE)));
    }
}
