package org.selfsup.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfsup.config.TrainConfig;
import org.selfsup.data.Dataset;
import org.selfsup.encoder.TrainedEncoder;
import org.selfsup.job.Pretraining;
import org.selfsup.train.checkpoint.MetricsLog;

/**
 * Training runs with a tiny ViT (depth 2, width 32, 2 heads, 4 px patches, 8x8 views) the way the ViT papers
 * train: AdamW, linear warm-up then cosine per step, gradient-norm clipping. Every method runs; a run cut
 * mid-epoch resumes bit-identically (weights, moments, step counter); the live native array count stays flat.
 */
class VitTrainingTest {
    @BeforeAll
    static void threads() {
        TinyRuns.singleThreaded();
    }

    @TempDir
    Path runs;

    private final StringWriter consoleText = new StringWriter();
    private final PrintWriter console = new PrintWriter(consoleText, true);

    static TrainConfig vit(Path runsDir, String name, String method, int epochs) {
        TrainConfig c = TinyRuns.config(runsDir, name, method, epochs);
        c.arch = "vit";
        c.width = 32;
        c.blocks = List.of(2);
        c.attentionHeads = 2;
        c.patchSize = 4;
        c.imageSize = 8;
        c.optimizer = "adamw";
        c.lr = 1e-3;
        c.momentum = 0.9;
        c.adamBeta2 = 0.95;
        c.weightDecay = 0.05;
        c.lrSchedule = "warmup-cosine-step";
        c.warmupEpochs = 1;
        c.clipGrad = 1.0;
        c.torchThreads = 1;
        return c;
    }

    /** The loss of every step line of a run's metrics. */
    static List<Double> stepLosses(Path run) {
        List<Double> losses = new ArrayList<>();
        for (JsonNode n : MetricsLog.read(run.resolve("metrics.jsonl"))) {
            if (n.get("type").asText().equals("step")) {
                losses.add(n.get("loss").asDouble());
            }
        }
        return losses;
    }

    @Test
    void everyMethodTrainsAVit() {
        Dataset ds = TinyRuns.data(8); // 1 step per epoch
        for (String method : org.selfsup.method.MethodRegistry.NAMES) {
            TrainConfig c = vit(runs, "vit-" + method, method, 3);
            c.checkpointEvery = 0;
            TrainLoop.Result r = new Pretraining(c, console).withDataset(ds).run();
            assertTrue(r.complete(), method);
            List<Double> losses = stepLosses(runs.resolve("vit-" + method));
            assertEquals(3, losses.size(), method);
            assertTrue(losses.stream().allMatch(Double::isFinite), method + " " + losses);
        }
    }

    /** Every base method under every heavy-augmentation strategy trains a ViT: 2 steps, losses finite. */
    @Test
    void everyStrategyOverEveryBaseTrainsAVit() {
        Dataset ds = TinyRuns.data(8); // 1 step per epoch
        for (String base : org.selfsup.method.MethodRegistry.BASE_NAMES) {
            for (org.selfsup.method.HeavyStrategy s : org.selfsup.method.HeavyStrategies.ALL) {
                String name = base + "+" + s.name();
                TrainConfig c = vit(runs, name, base, 2);
                c.heavy = s.name();
                c.checkpointEvery = 0;
                c.onlineProbe = false; // everyMethodTrainsAVit covers the probe; this covers the step
                c.knnEvery = 0;
                assertTrue(new Pretraining(c, console).withDataset(ds).run().complete(), name);
                List<Double> losses = stepLosses(runs.resolve(name));
                assertEquals(2, losses.size(), name);
                assertTrue(losses.stream().allMatch(Double::isFinite), name + " " + losses);
            }
        }
    }

    /**
     * RSA on a ViT with the online probe and gradient accumulation while another thread calls
     * {@code System.gc()} without pause: every loss finite. Before {@link org.selfsup.model.Scalars}, DJL's
     * Java-number operands (the attention scale, RSA's beta, the accumulation divisor) left the backward pass
     * reading buffers the collector had freed: this run then ended in a NaN loss at step 2 nearly every time
     * (11 of 12 methods in one trial), and without the collector's help in about 4 of 10 runs of this class.
     */
    @Test
    void trainsWhileTheGarbageCollectorRuns() throws Exception {
        Dataset ds = TinyRuns.data(16); // 1 optimiser step per epoch: 2 batches of 8
        TrainConfig c = vit(runs, "gc", "rsa", 3);
        c.accumulateSteps = 2;
        c.checkpointEvery = 0;
        Thread collector = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                System.gc();
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "gc-pressure");
        collector.setDaemon(true);
        collector.start();
        try {
            assertTrue(new Pretraining(c, console).withDataset(ds).run().complete());
        } finally {
            collector.interrupt();
            collector.join();
        }
        List<Double> losses = new ArrayList<>();
        for (JsonNode n : MetricsLog.read(runs.resolve("gc").resolve("metrics.jsonl"))) {
            if (n.get("type").asText().equals("step")) {
                losses.add(n.get("loss").asDouble());
                assertTrue(n.has("online_probe_acc"), n.toString());
            }
        }
        assertEquals(3, losses.size());
        assertTrue(losses.stream().allMatch(Double::isFinite), losses.toString());
    }

    /**
     * bf16 autocast on the CPU (mean pooling): the ViT's matrix products in bfloat16, attention softmax and losses in
     * float32 (DJL's softmax on a bfloat16 array terminated the process before the ViT upcast its scores).
     */
    @Test
    void bf16TrainsAVit() {
        Dataset ds = TinyRuns.data(16);
        TrainConfig c = vit(runs, "bf16", "byol", 2);
        c.precision = "bf16";
        c.pooling = "mean";
        assertTrue(new Pretraining(c, console).withDataset(ds).run().complete());
        List<Double> losses = stepLosses(runs.resolve("bf16"));
        assertEquals(4, losses.size());
        assertTrue(losses.stream().allMatch(Double::isFinite), losses.toString());
    }

    /** RSA (EMA target, four views, beta schedule) with AdamW and clipping: cut at step 5, resumed from step 3. */
    @Test
    void resumeIsBitIdentical() throws Exception {
        Dataset ds = TinyRuns.data(32); // 4 steps per epoch
        TrainConfig full = vit(runs.resolve("a"), "r", "rsa", 2);
        assertTrue(new Pretraining(full, console).withDataset(ds).run().complete());
        TrainConfig cut = vit(runs.resolve("b"), "r", "rsa", 2);
        cut.checkpointSteps = 3;
        assertFalse(new Pretraining(cut, console).withDataset(ds).stopAfterSteps(5).run().complete());
        assertTrue(new Pretraining(cut, console).withDataset(ds).run().complete());
        assertTrue(consoleText.toString().contains("resuming"), consoleText.toString());
        assertArrayEquals(TinyRuns.stateBytes(runs.resolve("a/r/checkpoints/last.ckpt")),
                TinyRuns.stateBytes(runs.resolve("b/r/checkpoints/last.ckpt")));
        // the trained encoder loads back with its spec (patch size, heads, pooling) and gives D-wide features
        try (NDManager m = NDManager.newBaseManager();
             TrainedEncoder enc = TrainedEncoder.fromCheckpoint(runs.resolve("b/r"), m)) {
            assertEquals("vit", enc.model().spec().arch());
            assertEquals(4, enc.model().spec().patchSize());
            ai.djl.ndarray.NDArray f = enc.model().features(new ai.djl.training.ParameterStore(m, false),
                    m.ones(new ai.djl.ndarray.types.Shape(2, 3, 8, 8)), false);
            assertEquals(new ai.djl.ndarray.types.Shape(2, 32), f.getShape());
        }
    }

    /**
     * The ViT-T/4 presets train as they are (vit-tiny, patch 4, AdamW, warm-up, clipping) on 32 px images,
     * shrunk to two steps of batch 8; with the kNN monitor, the fast linear probe (RSA), and then export to timm
     * names and import back (features equal).
     */
    @Test
    void vitPresetsTrainAndTheirEncoderGoesThroughEvaluationExportAndImport() throws Exception {
        org.selfsup.data.ImageStore train = org.selfsup.data.readers.SyntheticImages.generate("synthetic/train", 16, 4, 32, 3, 0);
        org.selfsup.data.ImageStore test = org.selfsup.data.readers.SyntheticImages.generate("synthetic/test", 16, 4, 32, 3, 1);
        Dataset ds = new Dataset("synthetic", train, train, test, org.selfsup.data.Normalization.CIFAR, 32);
        for (String preset : List.of("rsa-cifar10-vit-t4", "byol-cifar10-vit-t4")) {
            TrainConfig c = org.selfsup.config.ConfigResolver.resolve(preset, null,
                    org.selfsup.config.ConfigLayer.empty("flags"));
            c.merge(java.util.Map.of("name", preset, "runs-dir", runs.toString(), "dataset", "synthetic",
                    "data-dir", "", "epochs", 1, "batch-size", 8, "threads", 1, "prefetch", 1, "device", "cpu"));
            c.merge(java.util.Map.of("warmup-epochs", 0, "log-every", 1));
            boolean rsa = preset.startsWith("rsa");
            c.merge(java.util.Map.of("knn-every", 1, "knn-k", 5, "probe", rsa ? "fast" : "", "torch-threads", 1));
            c.validate();
            assertTrue(new Pretraining(c, console).withDataset(ds).run().complete(), preset);
            List<JsonNode> lines = MetricsLog.read(runs.resolve(preset).resolve("metrics.jsonl"));
            assertTrue(lines.stream().filter(n -> n.get("type").asText().equals("step"))
                    .allMatch(n -> Double.isFinite(n.get("loss").asDouble())), preset);
            assertTrue(lines.stream().anyMatch(n -> n.toString().contains("knn")), preset + " " + lines);
            assertTrue(!rsa || lines.stream().anyMatch(n -> n.toString().contains("probe")), preset + " " + lines);
        }
        Path out = runs.resolve("vit.safetensors");
        try (NDManager m = NDManager.newBaseManager();
             TrainedEncoder enc = TrainedEncoder.fromCheckpoint(runs.resolve("rsa-cifar10-vit-t4"), m)) {
            org.selfsup.encoder.TorchvisionExport.Sidecar sidecar = org.selfsup.encoder.TorchvisionExport.export(enc,
                    runs.resolve("rsa-cifar10-vit-t4"), org.selfsup.data.Normalization.CIFAR, out, false);
            assertEquals(4, sidecar.patchSize());
            assertEquals("cls", sidecar.pooling());
            assertEquals(32, sidecar.inputSize());
            assertEquals("token", sidecar.timm().get("global_pool"));
            assertEquals(192, sidecar.timm().get("embed_dim"));
            ai.djl.ndarray.NDArray x = m.randomNormal(new ai.djl.ndarray.types.Shape(3, 3, 32, 32));
            float[] before = enc.model().features(new ai.djl.training.ParameterStore(m, false), x, false).toFloatArray();
            try (TrainedEncoder back = org.selfsup.encoder.ImportedEncoder.load(out, null, null, null, true, m, l -> { })) {
                assertEquals(enc.model().spec().withoutPredictor(), back.model().spec());
                float[] after = back.model().features(new ai.djl.training.ParameterStore(m, false), x, false)
                        .toFloatArray();
                assertArrayEquals(before, after, 0f);
            }
            // the DJL model directory export rebuilds the ViT from its spec
            Path dir = runs.resolve("vit-djl");
            org.selfsup.encoder.ExportedEncoder.export(enc, runs.resolve("rsa-cifar10-vit-t4"),
                    org.selfsup.data.Normalization.CIFAR, dir);
            try (ai.djl.Model model = org.selfsup.encoder.ExportedEncoder.load(dir)) {
                float[] djl = model.getBlock().forward(new ai.djl.training.ParameterStore(m, false),
                        new ai.djl.ndarray.NDList(x), false).singletonOrThrow().toFloatArray();
                assertArrayEquals(before, djl, 0f);
            }
        }
    }

    /** The live native array count does not grow from epoch to epoch (AdamW state, clipping, checkpoints). */
    @Test
    void liveArrayCountStaysFlat() {
        Dataset ds = TinyRuns.data(16); // 2 steps per epoch
        TrainConfig c = vit(runs, "flat", "byol", 6);
        c.logEvery = 1;
        c.checkpointSteps = 3;
        NDManager system = NDManager.newBaseManager();
        NDManager root = system.getParentManager();
        system.close();
        List<Integer> counts = new ArrayList<>();
        new Pretraining(c, console).withDataset(ds)
                .addListener(new TrainingListener() {
                    @Override
                    public void onEpochEnd(int epoch, long step, int batches) {
                        counts.add(root.getManagedArrays().size());
                    }
                }).run();
        assertEquals(6, counts.size());
        Set<Integer> after = new HashSet<>(counts.subList(1, counts.size()));
        assertEquals(1, after.size(), "live arrays per epoch end: " + counts);
    }
}
