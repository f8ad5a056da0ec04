package org.selfsup.train;

import org.selfsup.job.Pretraining;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfsup.config.TrainConfig;
import org.selfsup.data.Dataset;
import org.selfsup.train.checkpoint.MetricsLog;
import org.selfsup.train.checkpoint.TrainState;
import org.selfsup.util.UserException;

/** {@code augment-on: device} in the trainer: trains, is deterministic, and refuses plans it cannot make. */
class DeviceAugmentTrainingTest {
    @BeforeAll
    static void threads() {
        TinyRuns.singleThreaded();
    }

    @TempDir
    Path runs;

    private final PrintWriter console = new PrintWriter(new StringWriter(), true);

    private TrainConfig deviceConfig(String dir, String method, int epochs) {
        TrainConfig c = TinyRuns.config(runs.resolve(dir), "d", method, epochs);
        c.augmentOn = "device";
        c.lr = 0.1;
        c.checkpointEvery = 0;
        return c;
    }

    /**
     * RSA with device augmentation: every logged loss is finite, the dominant aggressive-to-weak term
     * goes down on one batch re-augmented every step, and a second run with the same seed ends with
     * bit-identical parameters, BN statistics and momentum buffers (a different seed does not).
     */
    @Test
    void rsaTrainsAndIsDeterministic() throws Exception {
        Dataset ds = TinyRuns.data(8); // one step per epoch
        new Pretraining(deviceConfig("a", "rsa", 16), console).withDataset(ds).run();
        List<Double> losses = new ArrayList<>();
        for (JsonNode n : MetricsLog.read(runs.resolve("a/d/metrics.jsonl"))) {
            if (n.get("type").asText().equals("step")) {
                assertTrue(Double.isFinite(n.get("loss").asDouble()), n.toString());
                assertTrue(n.has("wait_ms"), n.toString());
                losses.add(n.get("loss_aw").asDouble());
            }
        }
        assertEquals(16, losses.size());
        double first = mean(losses.subList(0, 3));
        double last = mean(losses.subList(12, 16));
        assertTrue(last < first, "loss_aw " + first + " -> " + last + " " + losses);

        new Pretraining(deviceConfig("b", "rsa", 16), console).withDataset(ds).run();
        byte[] a = TinyRuns.stateBytes(runs.resolve("a/d/checkpoints/last.ckpt"));
        byte[] b = TinyRuns.stateBytes(runs.resolve("b/d/checkpoints/last.ckpt"));
        assertArrayEquals(a, b);

        TrainConfig other = deviceConfig("c", "rsa", 16);
        other.seed = 8;
        new Pretraining(other, console).withDataset(ds).run();
        assertFalse(Arrays.equals(a, TinyRuns.stateBytes(runs.resolve("c/d/checkpoints/last.ckpt"))));
    }

    /**
     * On the CPU engine the device path runs in its Pillow-exact mode and reproduces the CPU path's pixels
     * from the same sampled parameters, so a BYOL run trained with either path ends with identical
     * parameters: the device path is wired in with the same shuffle, batches and augmentation streams.
     */
    @Test
    void devicePathTrainsLikeTheCpuPathOnTheCpuEngine() throws Exception {
        Dataset ds = TinyRuns.data(16);
        new Pretraining(deviceConfig("dev", "byol", 1), console).withDataset(ds).run();
        TrainConfig cpu = deviceConfig("cpu", "byol", 1);
        cpu.augmentOn = "cpu";
        new Pretraining(cpu, console).withDataset(ds).run();
        assertArrayEquals(TinyRuns.stateBytes(runs.resolve("cpu/d/checkpoints/last.ckpt")),
                TinyRuns.stateBytes(runs.resolve("dev/d/checkpoints/last.ckpt")));
    }

    /** A device-augmented run stopped mid-epoch and resumed ends bit-identical to an uninterrupted one. */
    @Test
    void resumeMidEpochIsBitIdentical() throws Exception {
        Dataset ds = TinyRuns.data(24); // 3 steps per epoch
        new Pretraining(deviceConfig("full", "simsiam", 2), console).withDataset(ds).run();
        TrainConfig cut = deviceConfig("cut", "simsiam", 2);
        cut.checkpointSteps = 2;
        new Pretraining(cut, console).withDataset(ds).stopAfterSteps(5).run(); // last checkpoint: step 4 = epoch 1, batch 1
        assertEquals(new TrainState(4, 1, 1), TinyRuns.header(runs.resolve("cut/d/checkpoints/last.ckpt")).state());
        new Pretraining(cut, console).withDataset(ds).run();
        assertArrayEquals(TinyRuns.stateBytes(runs.resolve("full/d/checkpoints/last.ckpt")),
                TinyRuns.stateBytes(runs.resolve("cut/d/checkpoints/last.ckpt")));
    }

    /** DSSL's plans (RandAugment, heavy views) have no device counterpart: a user error naming the key. */
    @Test
    void unsupportedPlanIsAUserError() {
        TrainConfig c = deviceConfig("x", "dssl-simsiam", 1);
        UserException e = assertThrows(UserException.class,
                () -> new Pretraining(c, console).withDataset(TinyRuns.data(8)).run());
        assertTrue(e.getMessage().startsWith("augment-on: device supports the plans byol, simsiam, rsa, rsa-aw"),
                e.getMessage());
        assertTrue(e.getMessage().contains("dssl-cifar"), e.getMessage());
    }

    private static double mean(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }
}
