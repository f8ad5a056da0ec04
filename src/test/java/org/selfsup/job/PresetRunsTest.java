package org.selfsup.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.selfsup.config.ConfigLayer;
import org.selfsup.config.ConfigResolver;
import org.selfsup.config.TrainConfig;
import org.selfsup.data.Dataset;
import org.selfsup.data.ImageStore;
import org.selfsup.data.Normalization;
import org.selfsup.data.readers.SyntheticImages;
import org.selfsup.train.checkpoint.MetricsLog;

/**
 * The baseline presets of issue 15 resolve and train a few tiny steps with their own method, plan,
 * optimiser and schedules (data and backbone shrunk); {@code probe} runs after the last epoch and lands in
 * the summary and {@code metrics.jsonl}.
 */
class PresetRunsTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void oneThread() {
        ai.djl.engine.Engine.getInstance();
        ai.djl.pytorch.jni.JniUtils.setNumThreads(1);
    }

    /** The preset with data, backbone and budget shrunk; everything else (method, plan, schedules) kept. */
    private TrainConfig tiny(String preset, String name) {
        TrainConfig c = ConfigResolver.resolve(preset, null, ConfigLayer.empty("flags"));
        c.merge(java.util.Map.of("name", name, "runs-dir", dir.toString(), "dataset", "synthetic", "data-dir", "",
                "arch", "small", "width", 8, "blocks", List.of(1, 1, 1, 1), "image-size", 16));
        c.merge(java.util.Map.of("epochs", 1, "batch-size", 8, "threads", 1, "prefetch", 1, "device", "cpu",
                "knn-every", 0, "probe", "", "warmup-epochs", 0, "log-every", 1));
        c.validate();
        return c;
    }

    private static Dataset data() {
        ImageStore train = SyntheticImages.generate("synthetic/train", 32, 4, 16, 3, 0);
        ImageStore test = SyntheticImages.generate("synthetic/test", 16, 4, 16, 3, 1);
        return new Dataset("synthetic", train, train, test, Normalization.CIFAR, 16);
    }

    @ParameterizedTest
    @ValueSource(strings = {"simsiam-heavy-cifar10", "simsiam-imagenet", "simsiam-heavy-imagenet", "byol-dssl-imagenet",
        "byol-heavy-imagenet"})
    void baselinePresetTrainsTinySteps(String preset) {
        TrainConfig c = tiny(preset, preset);
        new Pretraining(c, new PrintWriter(new StringWriter())).withDataset(data()).stopAfterSteps(2).run();
        List<JsonNode> steps = MetricsLog.read(c.runDirPath().resolve("metrics.jsonl")).stream()
                .filter(n -> "step".equals(n.path("type").asText())).toList();
        assertEquals(2, steps.size(), preset);
        for (JsonNode s : steps) {
            assertTrue(Double.isFinite(s.get("loss").asDouble()), preset + ": " + s);
        }
    }

    @Test
    void probeAfterPretrainingGoesToTheEvalLineAndTheSummary() {
        TrainConfig c = tiny("demo", "probed");
        c.merge(java.util.Map.of("dataset", "synthetic", "batch-size", 50, "knn-every", 1, "probe", "fast"));
        c.validate();
        StringWriter console = new StringWriter();
        int code = new PretrainJob().run(c, false, new PrintWriter(console, true));
        assertEquals(0, code, console.toString());
        List<JsonNode> lines = MetricsLog.read(c.runDirPath().resolve("metrics.jsonl"));
        JsonNode eval = lines.stream().filter(n -> "eval".equals(n.path("type").asText())).reduce((a, b) -> b)
                .orElseThrow();
        JsonNode summary = lines.stream().filter(n -> "summary".equals(n.path("type").asText())).findFirst()
                .orElseThrow();
        double top1 = eval.get("probe_top1").asDouble();
        assertTrue(top1 >= 0 && top1 <= 100, eval.toString());
        assertEquals(top1, summary.get("probe_top1").asDouble(), 0);
        assertEquals("fast", summary.get("probe_protocol").asText());
        assertTrue(summary.has("knn_top1_raw_pixels") && summary.has("knn_top1_random_init"), summary.toString());
        String out = console.toString();
        assertTrue(out.contains("probe fast epoch 40/40"), out);
        assertTrue(out.contains("linear probe (fast, final epoch, all 200 test images): test top-1 "), out);
        assertTrue(out.contains("| raw pixels "), out);
        assertFalse(out.contains("n/a"), out);
    }
}
