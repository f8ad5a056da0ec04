package org.selfsup.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfsup.config.ConfigLayer;
import org.selfsup.config.ConfigResolver;
import org.selfsup.config.TrainConfig;
import org.selfsup.data.Dataset;
import org.selfsup.job.Pretraining;
import org.selfsup.train.checkpoint.MetricsLog;
import org.selfsup.encoder.TrainedEncoder;
import org.selfsup.model.ModelSpec;
import org.selfsup.model.PositionEmbeddings;

/**
 * The preset {@code mocov3-imagenet-vit-s16} trains as it is (MoCo v3 with the ViT heads, vits.py init, sin-cos
 * positions, frozen patch projection, AdamW with warm-up, fp16 autocast), shrunk to a tiny ViT on synthetic 8 px
 * images for two steps; the frozen patch projection and position table come out of it unchanged.
 */
class MocoV3VitPresetTest {
    @BeforeAll
    static void threads() {
        TinyRuns.singleThreaded();
    }

    @TempDir
    Path runs;

    @Test
    void tinyVersionOfThePresetTrainsTwoStepsWithItsFrozenPartsUnchanged() throws Exception {
        TrainConfig c = ConfigResolver.resolve("mocov3-imagenet-vit-s16", null, ConfigLayer.empty("flags"));
        c.validate();
        c.merge(Map.of("name", "moco", "runs-dir", runs.toString(), "dataset", "synthetic", "data-dir", "",
                "arch", "vit", "width", 32, "blocks", List.of(2), "attention-heads", 2, "patch-size", 4,
                "image-size", 8));
        c.merge(Map.of("epochs", 1, "batch-size", 8, "warmup-epochs", 0, "threads", 1, "prefetch", 1,
                "device", "cpu", "torch-threads", 1, "log-every", 1, "checkpoint-every", 0));
        c.validate();
        Dataset ds = TinyRuns.data(16); // 2 steps of 8
        StringWriter text = new StringWriter();
        assertTrue(new Pretraining(c, new PrintWriter(text, true)).withDataset(ds).run().complete(), text.toString());
        List<JsonNode> steps = MetricsLog.read(runs.resolve("moco").resolve("metrics.jsonl")).stream()
                .filter(n -> n.get("type").asText().equals("step")).toList();
        assertEquals(2, steps.size());
        assertTrue(steps.stream().allMatch(n -> Double.isFinite(n.get("loss").asDouble())), steps.toString());
        try (NDManager m = NDManager.newBaseManager(); TrainedEncoder enc = TrainedEncoder.fromCheckpoint(runs.resolve("moco"), m)) {
            ModelSpec spec = enc.model().spec();
            assertEquals(List.of("mocov3", "sincos", true, 2), List.of(spec.vitInitName(), spec.posEmbedName(),
                    spec.frozenPatchEmbed(), spec.heads()));
            Map<String, Parameter> p = enc.model().namedParameters();
            float[] pos = p.get("backbone/pos_embed").getArray().toFloatArray();
            org.junit.jupiter.api.Assertions.assertArrayEquals(PositionEmbeddings.sincos2d(2, 32), pos, 0f);
            // the patch projection still holds its initial values: every bias 0 (vits.py zeroes it)
            for (float b : p.get("backbone/patch_embed.proj.bias").getArray().toFloatArray()) {
                assertEquals(0f, b);
            }
            assertFalse(enc.model().trainableParameters().contains(p.get("backbone/pos_embed")));
        }
    }
}
