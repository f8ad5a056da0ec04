package org.selfsup.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfsup.config.TrainConfig;
import org.selfsup.data.Dataset;
import org.selfsup.data.Image;
import org.selfsup.data.ImageSet;
import org.selfsup.distributed.GradientReducer;
import org.selfsup.job.Pretraining;
import org.selfsup.method.MethodOptions;
import org.selfsup.method.MethodRegistry;
import org.selfsup.method.SslMethod;
import org.selfsup.model.Networks;
import org.selfsup.optim.Sgd;
import org.selfsup.runtime.Precision;
import org.selfsup.runtime.StepPrecision;
import org.selfsup.train.checkpoint.MetricsLog;
import org.selfsup.train.checkpoint.TrainState;

/**
 * Gradient accumulation ({@code accumulate-steps}): N = 2 at batch B trains the same weights as N = 1 at
 * batch 2B for a model without BatchNorm, and a run that dies inside an accumulation resumes exactly.
 */
class AccumulationTest {
    private static final int IMAGES = 64;
    private static final int IN = 3 * 4 * 4;

    @TempDir
    Path runs;

    @BeforeAll
    static void threads() {
        TinyRuns.singleThreaded();
    }

    /** BYOL's networks without BatchNorm: linear, ReLU, linear; a linear predictor; an EMA target. */
    static final class TinyNet implements TrainableModel {
        final List<Parameter> online = new ArrayList<>();
        final List<Parameter> target = new ArrayList<>();

        TinyNet(NDManager m) {
            Random rnd = new Random(42);
            int[][] shapes = {{IN, 16}, {16, 8}, {8, 8}};
            for (int i = 0; i < shapes.length; i++) {
                online.add(param(m, "w" + i, shapes[i], rnd, true));
            }
            for (int i = 0; i < 2; i++) {
                Parameter t = param(m, "t" + i, shapes[i], rnd, false);
                t.getArray().set(online.get(i).getArray().toFloatArray());
                target.add(t);
            }
        }

        private static Parameter param(NDManager m, String name, int[] shape, Random rnd, boolean grad) {
            float[] v = new float[shape[0] * shape[1]];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (rnd.nextGaussian() / Math.sqrt(shape[0]));
            }
            NDArray a = m.create(v, new Shape(shape[0], shape[1]));
            a.setRequiresGradient(grad);
            return Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).optArray(a)
                    .optRequiresGrad(grad).build();
        }

        private static NDArray relu(NDArray x) {
            return ai.djl.nn.Activation.relu(x);
        }

        private static NDArray flat(NDArray x) {
            return x.reshape(x.getShape().get(0), -1);
        }

        @Override
        public Networks networks(ParameterStore ps) {
            return new Networks() {
                @Override
                public NDArray features(NDArray x) {
                    return relu(flat(x).matMul(online.get(0).getArray()));
                }

                @Override
                public NDArray project(NDArray x) {
                    return features(x).matMul(online.get(1).getArray());
                }

                @Override
                public NDArray predict(NDArray z) {
                    return z.matMul(online.get(2).getArray());
                }

                @Override
                public NDArray targetProject(NDArray x) {
                    return relu(flat(x).matMul(target.get(0).getArray())).matMul(target.get(1).getArray())
                            .stopGradient();
                }
            };
        }

        @Override
        public List<Parameter> trainableParameters() {
            return online;
        }

        @Override
        public List<NDArray[]> emaPairs() {
            return List.of(new NDArray[] {target.get(0).getArray(), online.get(0).getArray()},
                    new NDArray[] {target.get(1).getArray(), online.get(1).getArray()});
        }

        @Override
        public void save(DataOutputStream out) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void load(DataInputStream in) {
            throw new UnsupportedOperationException();
        }

        float[] weights() {
            List<Float> all = new ArrayList<>();
            for (List<Parameter> ps : List.of(online, target)) {
                for (Parameter p : ps) {
                    for (float f : p.getArray().toFloatArray()) {
                        all.add(f);
                    }
                }
            }
            float[] out = new float[all.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = all.get(i);
            }
            return out;
        }
    }

    /** Batches of {@code batch} images in a fixed order; each image's two views depend only on (epoch, index). */
    static final class FakeSource implements BatchSource {
        private final List<String> names;
        private final int batch;

        FakeSource(List<String> names, int batch) {
            this.names = names;
            this.batch = batch;
        }

        @Override
        public Epoch epoch(int epoch, int startBatch) {
            return new Epoch() {
                int next = startBatch;

                @Override
                public boolean hasNext() {
                    return (next + 1) * batch <= IMAGES;
                }

                @Override
                public Map<String, NDArray> next(NDManager step) {
                    Map<String, NDArray> views = new LinkedHashMap<>();
                    for (int v = 0; v < names.size(); v++) {
                        float[] x = new float[batch * IN];
                        for (int i = 0; i < batch; i++) {
                            Random r = new Random(1_000_003L * epoch + 1009L * (next * batch + i) + v);
                            for (int d = 0; d < IN; d++) {
                                x[i * IN + d] = (float) r.nextGaussian();
                            }
                        }
                        views.put(names.get(v), step.create(x, new Shape(batch, 3, 4, 4)));
                    }
                    next++;
                    return views;
                }

                @Override
                public long lastWaitNanos() {
                    return 0;
                }

                @Override
                public void close() {}
            };
        }

        @Override
        public void close() {}
    }

    /** Trains TinyNet with BYOL for 2 epochs of {@code IMAGES} images at {@code batch} x {@code accumulate}. */
    private static float[] train(int batch, int accumulate, List<Double> losses) {
        return train(batch, accumulate, losses, new int[1]);
    }

    /** As above; {@code reductions[0]} counts the gradient reducer's calls (the all-reduces of a data-parallel run). */
    private static float[] train(int batch, int accumulate, List<Double> losses, int[] reductions) {
        SslMethod method = MethodRegistry.create("byol", MethodOptions.defaults());
        TrainConfig c = TinyRuns.config(Path.of("unused"), "x", "byol", 2);
        c.lrSchedule = "warmup-cosine-step"; // the learning rate changes every optimiser step
        c.warmupEpochs = 1;
        int stepsPerEpoch = IMAGES / (batch * accumulate);
        long total = 2L * stepsPerEpoch;
        try (NDManager m = NDManager.newBaseManager()) {
            TinyNet net = new TinyNet(m);
            Sgd sgd = new Sgd(net.trainableParameters(), m, 0.9, false, 5e-4);
            try (StepPrecision opt = StepPrecision.create(Precision.FP32, m.getDevice(), sgd,
                    net.trainableParameters(), m);
                 Ema ema = new Ema(net.emaPairs(), m);
                 RunSchedule schedule = RunSchedule.forRun(c, stepsPerEpoch, total, true, m)) {
                GradientReducer counting = new GradientReducer() {
                    @Override
                    public void reduce(NDManager step) {
                        reductions[0]++;
                    }

                    @Override
                    public long lastNanos() {
                        return 0;
                    }
                };
                StepRunner runner = new StepRunner(method, net, opt, ema, org.selfsup.config.Choices.EmaTiming.BEFORE_FORWARD, schedule,
                        counting, m);
                TrainingListener record = new TrainingListener() {
                    @Override
                    public boolean wantsValues(long step, int b, boolean last) {
                        return true;
                    }

                    @Override
                    public void onStep(StepEvent e) {
                        losses.add(e.values().get("loss"));
                    }
                };
                TrainLoop loop = new TrainLoop(new FakeSource(method.views(), batch), runner, m, 2, stepsPerEpoch,
                        accumulate, List.of(record));
                TrainLoop.Result r = loop.run(TrainState.START);
                assertEquals(total, r.state().step());
                return net.weights();
            }
        }
    }

    @Test
    void twoBatchesOfBEqualOneBatchOf2BWithoutBatchNorm() {
        List<Double> lossA = new ArrayList<>();
        List<Double> lossB = new ArrayList<>();
        int[] reductions = new int[1];
        float[] accumulated = train(8, 2, lossA, reductions);
        assertEquals(8, reductions[0], "one gradient all-reduce per optimiser step, not per batch");
        float[] whole = train(16, 1, lossB);
        assertEquals(8, lossA.size());
        assertEquals(lossB.size(), lossA.size());
        // float32 sums in another order: the weights agree to 1e-5 (they are of order 0.1-1)
        float maxDiff = 0;
        for (int i = 0; i < whole.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(whole[i] - accumulated[i]));
        }
        assertTrue(maxDiff < 1e-5, "max |w(N=2, B=8) - w(N=1, B=16)| = " + maxDiff);
        for (int i = 0; i < lossA.size(); i++) {
            // the logged loss of an accumulated step is the mean over its batches: the loss of the whole batch
            assertEquals(lossB.get(i), lossA.get(i), 1e-5, "step " + (i + 1));
        }
        // and accumulation is not a no-op: N = 1 at batch 8 trains other weights
        float[] half = train(8, 1, new ArrayList<>());
        float diff = 0;
        for (int i = 0; i < whole.length; i++) {
            diff = Math.max(diff, Math.abs(whole[i] - half[i]));
        }
        assertTrue(diff > 1e-3, "batch 8 without accumulation differs: " + diff);
    }

    /** The pretraining images, one of whose reads fails once (a process dying inside an accumulation). */
    private static ImageSet failingOnce(ImageSet inner, int failAt, AtomicBoolean armed) {
        return new ImageSet() {
            @Override public String name() { return inner.name(); }
            @Override public int size() { return inner.size(); }
            @Override public int label(int i) { return inner.label(i); }
            @Override public int[] labels() { return inner.labels(); }
            @Override public List<String> classNames() { return inner.classNames(); }
            @Override public ImageSet subset(String n, int[] idx) { return inner.subset(n, idx); }

            @Override
            public Image rgb(int i) {
                if (i == failAt && armed.getAndSet(false)) {
                    throw new IllegalStateException("simulated death inside an accumulation");
                }
                return inner.rgb(i);
            }
        };
    }

    @Test
    void aRunThatDiesInsideAnAccumulationResumesExactly() throws Exception {
        Dataset ds = TinyRuns.data(IMAGES); // 8 batches of 8 per epoch: 4 optimiser steps of 2 batches
        TrainConfig full = TinyRuns.config(runs, "full", "byol", 2);
        full.accumulateSteps = 2;
        full.checkpointSteps = 1;
        full.knnEvery = 0;
        StringWriter text = new StringWriter();
        new Pretraining(full, new PrintWriter(text)).withDataset(ds).run();

        // the second batch of optimiser step 3 (batch 5 of epoch 0) cannot be read: the process dies after
        // step 3's first batch went through forward and backward
        int failAt = ds.pretrain().epochOrder(full.seed, 0)[5 * 8 + 3];
        AtomicBoolean armed = new AtomicBoolean(true);
        Dataset flaky = new Dataset(ds.name(), failingOnce(ds.pretrain(), failAt, armed), ds.train(), ds.test(),
                ds.normalization(), ds.viewSize());
        TrainConfig cut = full.copy();
        cut.name = "cut";
        cut.prefetch = 1;
        RuntimeException death = assertThrows(RuntimeException.class,
                () -> new Pretraining(cut, new PrintWriter(text)).withDataset(flaky).run());
        assertTrue(String.valueOf(death.getMessage()).contains("simulated death") || death.getCause() != null,
                String.valueOf(death));
        assertEquals(2, TinyRuns.header(runs.resolve("cut/checkpoints/last.ckpt")).state().step());
        assertEquals(4, TinyRuns.header(runs.resolve("cut/checkpoints/last.ckpt")).state().batch());

        text.getBuffer().setLength(0);
        new Pretraining(cut, new PrintWriter(text)).withDataset(flaky).run();
        assertTrue(text.toString().contains("resuming"), text.toString());
        assertArrayEquals(TinyRuns.stateBytes(runs.resolve("full/checkpoints/last.ckpt")),
                TinyRuns.stateBytes(runs.resolve("cut/checkpoints/last.ckpt")));
        List<JsonNode> steps = MetricsLog.read(runs.resolve("cut/metrics.jsonl")).stream()
                .filter(n -> n.get("type").asText().equals("step")).toList();
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L), steps.stream().map(n -> n.get("step").asLong()).toList());
    }
}
