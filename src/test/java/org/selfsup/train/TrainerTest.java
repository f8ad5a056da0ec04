package org.selfsup.train;

import org.selfsup.encoder.TrainedEncoder;
import org.selfsup.job.Pretraining;
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
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfsup.config.TrainConfig;
import org.selfsup.data.Dataset;
import org.selfsup.runtime.TorchThreads;
import org.selfsup.train.checkpoint.Checkpoint;
import org.selfsup.train.checkpoint.MetricsLog;
import org.selfsup.train.checkpoint.TrainState;

class TrainerTest {
    @BeforeAll
    static void threads() {
        TinyRuns.singleThreaded();
    }

    @TempDir
    Path runs;

    private final StringWriter consoleText = new StringWriter();
    private final PrintWriter console = new PrintWriter(consoleText, true);

    private String console() {
        return consoleText.toString();
    }

    /**
     * {@code torch-threads} sets the process's PyTorch thread count for the run, and a run may be resumed
     * with another count (it changes rounding, not the training configuration).
     */
    @Test
    void torchThreadsSetsTheThreadCountAndMayDifferOnResume() {
        Dataset ds = TinyRuns.data(32);
        try {
            ai.djl.pytorch.jni.JniUtils.setNumThreads(2);
            TrainConfig c = TinyRuns.config(runs, "tt", "byol", 1);
            c.torchThreads = 1;
            c.checkpointSteps = 1;
            assertFalse(new Pretraining(c, console).withDataset(ds).stopAfterSteps(1).run().complete());
            assertEquals(1, TorchThreads.current());
            c.torchThreads = 2;
            assertTrue(new Pretraining(c, console).withDataset(ds).run().complete());
            assertEquals(2, TorchThreads.current());
            assertTrue(console().contains("resuming"), console());
        } finally {
            TinyRuns.singleThreaded();
        }
    }

    /**
     * A run stopped mid-epoch (after a mid-epoch checkpoint, then a few more steps that are lost, as with
     * kill -9) and resumed ends with parameters, BN statistics and momentum bit-identical to an
     * uninterrupted run. RSA exercises the EMA target, beta(k) and four views.
     */
    @Test
    void resumeIsBitIdentical() throws Exception {
        Dataset ds = TinyRuns.data(32); // 4 steps per epoch
        TrainConfig full = TinyRuns.config(runs.resolve("a"), "r", "rsa", 2);
        TrainLoop.Result r = new Pretraining(full, console).withDataset(ds).run();
        assertTrue(r.complete());
        assertEquals(8, r.state().step());

        TrainConfig cut = TinyRuns.config(runs.resolve("b"), "r", "rsa", 2);
        cut.checkpointSteps = 3;
        TrainLoop.Result stopped = new Pretraining(cut, console).withDataset(ds).stopAfterSteps(7).run();
        assertFalse(stopped.complete());
        // checkpoints at steps 3, 4 (epoch end), 6: the run resumes at step 6 = epoch 1, batch 2
        Checkpoint.Header h = TinyRuns.header(runs.resolve("b/r/checkpoints/last.ckpt"));
        assertEquals(new TrainState(6, 1, 2), h.state());

        TrainLoop.Result resumed = new Pretraining(cut, console).withDataset(ds).run();
        assertTrue(resumed.complete());
        assertTrue(console().contains("resuming"), console());
        assertArrayEquals(TinyRuns.stateBytes(runs.resolve("a/r/checkpoints/last.ckpt")),
                TinyRuns.stateBytes(runs.resolve("b/r/checkpoints/last.ckpt")));

        // metrics: one step line per step, no duplicates after the resume
        List<Long> steps = new ArrayList<>();
        for (JsonNode n : MetricsLog.read(runs.resolve("b/r/metrics.jsonl"))) {
            if (n.get("type").asText().equals("step")) {
                steps.add(n.get("step").asLong());
            }
        }
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L), steps);
        JsonNode first = MetricsLog.read(runs.resolve("b/r/metrics.jsonl")).get(0);
        for (String key : List.of("step", "epoch", "lr", "tau", "beta", "loss", "loss_aw", "loss_aa", "shift_a1",
                "shift_a2", "proj_std", "img_per_s", "wait_ms")) {
            assertTrue(first.has(key), key + " missing in " + first);
        }
        assertEquals(0.05, first.get("lr").asDouble(), 1e-12); // cosine-epoch, epoch 0
        assertEquals(Schedules.emaTau(0.99, 1, 8), first.get("tau").asDouble(), 1e-12);
        assertEquals(Schedules.rsaBeta(0.4, 1, 8), first.get("beta").asDouble(), 1e-9);
        // a run that is complete does nothing more
        new Pretraining(cut, console).withDataset(ds).run();
        assertTrue(console().contains("already complete"));
        // the encoder loads from the file or from the run folder, with the run's configuration
        try (NDManager m = NDManager.newBaseManager();
             TrainedEncoder enc = TrainedEncoder.fromCheckpoint(runs.resolve("b/r"), m)) {
            assertEquals("rsa", enc.config().method);
            assertEquals(3, enc.config().checkpointSteps);
            ai.djl.ndarray.NDArray f = enc.model().features(new ai.djl.training.ParameterStore(m, false),
                    m.ones(new ai.djl.ndarray.types.Shape(2, 3, 16, 16)), false);
            assertEquals(new ai.djl.ndarray.types.Shape(2, enc.model().spec().featureDim()), f.getShape());
        }
        java.nio.file.Path bad = runs.resolve("bad.ckpt");
        java.nio.file.Files.write(bad, new byte[100]);
        try (NDManager m = NDManager.newBaseManager()) {
            org.selfsup.util.UserException notCkpt = org.junit.jupiter.api.Assertions.assertThrows(
                    org.selfsup.util.UserException.class, () -> TrainedEncoder.fromCheckpoint(bad, m));
            assertTrue(notCkpt.getMessage().contains("not a selfsup checkpoint"), notCkpt.getMessage());
        }

        // a different training configuration in the same folder is refused, naming the key
        cut.lr = 0.07;
        org.selfsup.util.UserException e = org.junit.jupiter.api.Assertions.assertThrows(
                org.selfsup.util.UserException.class, () -> new Pretraining(cut, console).withDataset(ds).run());
        assertTrue(e.getMessage().contains("different configuration") && e.getMessage().contains("lr"), e.getMessage());
    }

    /** The live native array count does not grow over 50 steps (epoch ends and checkpoints included). */
    @Test
    void liveArrayCountStaysFlat() {
        Dataset ds = TinyRuns.data(40); // 5 steps per epoch
        TrainConfig c = TinyRuns.config(runs, "flat", "byol", 10);
        c.logEvery = 3;
        c.checkpointSteps = 4;
        c.collapseStd = 10; // every logged step is "collapsed": the warning must appear once per epoch
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
        assertEquals(10, counts.size());
        // after the first epoch everything is allocated; afterwards the count is constant
        Set<Integer> after = new HashSet<>(counts.subList(1, counts.size()));
        assertEquals(1, after.size(), "live arrays per epoch end: " + counts);
        assertTrue(counts.get(1) > 0);
        assertEquals(10, console().lines().filter(l -> l.startsWith("warning: possible collapse")).count(), console());
    }

    /**
     * Every method trains end to end and its loss goes down on tiny data (one batch of 8 images, fresh
     * augmentations each step). RSA's total mixes terms with a decaying weight beta, so its dominant
     * aggressive-to-weak term {@code loss_aw} is compared instead.
     */
    @Test
    void lossDecreasesForEveryMethod() {
        Dataset ds = TinyRuns.data(8); // 1 step per epoch
        for (String method : org.selfsup.method.MethodRegistry.NAMES) {
            TrainConfig c = TinyRuns.config(runs, "loss-" + method, method, 20);
            // VICReg under plain SGD diverges at 0.1 (its paper uses LARS, base lr 0.2 x B/256 = 0.006 here)
            c.lr = method.equals("vicreg") ? 0.01 : 0.1;
            c.checkpointEvery = 0;
            new Pretraining(c, console).withDataset(ds).run();
            String key = method.equals("rsa") ? "loss_aw" : "loss";
            List<Double> losses = new ArrayList<>();
            for (JsonNode n : MetricsLog.read(runs.resolve("loss-" + method).resolve("metrics.jsonl"))) {
                if (n.get("type").asText().equals("step")) {
                    losses.add(n.get(key).asDouble());
                }
            }
            assertEquals(20, losses.size(), method);
            double first = mean(losses.subList(0, 3));
            double last = mean(losses.subList(15, 20));
            System.out.printf("loss decrease %s: %s %.4f -> %.4f%n", method, key, first, last);
            if (method.equals("barlow-twins")) {
                // 8 images against a 1024-wide projector: the batch cross-correlation is mostly sampling
                // noise, so the loss need not fall in 20 steps; it must stay finite (it falls on fixed views
                // in MethodsOnModelTest)
                assertTrue(Double.isFinite(last), method + ": " + losses);
                continue;
            }
            assertTrue(last < first, method + ": " + key + " " + first + " -> " + last + " " + losses);
        }
    }

    /**
     * An exploding learning rate makes the loss non-finite: the job stops with exit code 3 and a clear
     * message, and the last checkpoint is the last finite step.
     */
    @Test
    void divergenceStopsWithExitCode3AndKeepsLastGoodCheckpoint() throws Exception {
        Dataset ds = TinyRuns.data(64);
        TrainConfig c = TinyRuns.config(runs, "nan", "simsiam", 1);
        c.lr = 1e30;
        c.checkpointSteps = 1;
        try {
            new Pretraining(c, console).withDataset(ds).run();
            org.junit.jupiter.api.Assertions.fail("expected divergence");
        } catch (TrainingDivergedException e) {
            assertTrue(e.getMessage().matches("loss is (NaN|-?Infinity) at step \\d+ .*"), e.getMessage());
            assertTrue(e.getMessage().contains("last good checkpoint"), e.getMessage());
            Checkpoint.Header h = TinyRuns.header(runs.resolve("nan/checkpoints/last.ckpt"));
            assertEquals(e.step() - 1, h.state().step());
        }
    }

    private static double mean(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }
}
