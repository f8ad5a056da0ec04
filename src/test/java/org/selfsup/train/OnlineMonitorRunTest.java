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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfsup.config.TrainConfig;
import org.selfsup.data.Dataset;
import org.selfsup.eval.OnlineMonitor;
import org.selfsup.job.Pretraining;
import org.selfsup.tensorboard.EventFileReader;
import org.selfsup.tensorboard.TensorBoardLog;
import org.selfsup.tensorboard.proto.EventProtos.Event;
import org.selfsup.tensorboard.proto.EventProtos.Summary;
import org.selfsup.train.checkpoint.MetricsLog;

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
    void tensorBoardLogHoldsEveryScalarOfTheMetricsOnceAndTheReportItsCharts() throws Exception {
        Dataset ds = TinyRuns.data(IMAGES);
        TrainConfig c = config("tb", true);
        c.tensorboard = true;
        c.checkpointSteps = 2;
        StringWriter text = new StringWriter();
        new Pretraining(c, new PrintWriter(text)).withDataset(ds).stopAfterSteps(3).run();
        new Pretraining(c, new PrintWriter(text)).withDataset(ds).run(); // resumes at step 2
        List<Path> files = TensorBoardLog.eventFiles(runs.resolve("tb/tensorboard"));
        assertEquals(1, files.size());
        Map<String, List<Long>> stepsByTag = new HashMap<>();
        Map<String, Float> value = new HashMap<>();
        boolean config = false;
        boolean preview = false;
        for (Event e : EventFileReader.read(files.get(0))) { // checks every record's CRCs
            for (Summary.Value v : e.getSummary().getValueList()) {
                stepsByTag.computeIfAbsent(v.getTag(), t -> new ArrayList<>()).add(e.getStep());
                value.put(v.getTag() + "@" + e.getStep(), v.getSimpleValue());
                config |= v.getTag().equals("config") && v.getTensor().getStringVal(0).toStringUtf8().contains("name: tb");
                preview |= v.getTag().equals("augmentations") && v.getImage().getWidth() > 0;
            }
        }
        assertTrue(config && preview, stepsByTag.keySet().toString());
        // every numeric field of every step and eval line, at its step, exactly once (the resume cut back)
        for (JsonNode n : MetricsLog.read(runs.resolve("tb/metrics.jsonl"))) {
            String type = n.get("type").asText();
            if (!type.equals("step") && !type.equals("eval")) {
                continue;
            }
            long step = n.get("step").asLong();
            n.fields().forEachRemaining(f -> {
                if (f.getValue().isNumber() && !f.getKey().equals("step")) {
                    String tag = type + "/" + f.getKey();
                    assertEquals(1, stepsByTag.get(tag).stream().filter(s -> s == step).count(), tag + "@" + step);
                    assertEquals(f.getValue().floatValue(), value.get(tag + "@" + step), tag + "@" + step);
                }
            });
        }
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L), stepsByTag.get("step/loss"));

        Path html = org.selfsup.report.RunReport.render(runs.resolve("tb"), w -> { });
        String page = Files.readString(html);
        for (String chart : List.of("rankme", "online_probe", "throughput", "data_wait", "memory", "embedding_map")) {
            assertTrue(Files.exists(runs.resolve("tb/charts/" + chart + ".png")), chart);
            assertTrue(page.contains("charts/" + chart + ".png"), chart);
        }
        assertTrue(page.contains("<td>state</td><td>complete</td>"), page);
    }

    @Test
    void probeIsOffSaidOnceWithoutLabels() throws Exception {
        Dataset ds = TinyRuns.data(IMAGES);
        org.selfsup.data.ImageSet labelled = ds.pretrain();
        int[] none = new int[labelled.size()];
        java.util.Arrays.fill(none, -1);
        org.selfsup.data.ImageSet unlabelled = new org.selfsup.data.ImageSet() {
            @Override public String name() { return "unlabelled"; }
            @Override public int size() { return labelled.size(); }
            @Override public int label(int i) { return -1; }
            @Override public int[] labels() { return none; }
            @Override public List<String> classNames() { return List.of(); }
            @Override public org.selfsup.data.Image rgb(int i) { return labelled.rgb(i); }
            @Override public org.selfsup.data.ImageSet subset(String n, int[] idx) { throw new UnsupportedOperationException(); }
        };
        Dataset noLabels = new Dataset(ds.name(), unlabelled, ds.train(), ds.test(), ds.normalization(), ds.viewSize());
        StringWriter text = new StringWriter();
        new Pretraining(config("nolabels", true), new PrintWriter(text)).withDataset(noLabels).run();
        String out = text.toString();
        assertEquals(1, out.split("online probe off", -1).length - 1, out);
        assertTrue(out.contains("online probe off: unlabelled has no labelled images"), out);
        List<JsonNode> lines = MetricsLog.read(runs.resolve("nolabels/metrics.jsonl"));
        assertTrue(lines.stream().noneMatch(n -> n.has("online_probe_acc") || n.has("online_probe_top1")));
        assertTrue(lines.stream().anyMatch(n -> n.has("rankme")), "RankMe needs no labels for training");
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
