package org.selfsup.hardening;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfsup.train.checkpoint.Checkpoint;
import org.selfsup.train.checkpoint.MetricsLog;

/**
 * {@code --precision} end to end through the CLI, on the CPU engine (where bf16 and fp16 autocast work):
 * a bf16 run killed with SIGKILL mid-epoch resumes bit-identically to an uninterrupted bf16 run; its
 * checkpoints hold float32 only (the same bytes per tensor as an fp32 run's); an fp16 run logs and
 * checkpoints its loss scale; {@code --device gpu} without a GPU is refused before anything is written.
 */
class PrecisionRunTest {
    @TempDir
    Path dir;

    private static List<String> args(Path runs, String name, Path data, String precision) {
        List<String> a = ChildRuns.trainArgs(runs, name, data, 2);
        a.set(a.indexOf("--knn-every") + 1, "0");
        a.addAll(List.of("--precision", precision));
        return a;
    }

    @Test
    void bf16KilledMidEpochResumesBitIdenticallyWithFloat32Checkpoints() throws Exception {
        Path data = ChildRuns.writeData(dir.resolve("data"));
        Path runs = dir.resolve("runs");
        Path log = dir.resolve("child.log");
        assertEquals(0, ChildRuns.runToEnd(log, List.of(), args(runs, "full", data, "bf16")), () -> read(log));

        List<String> killed = args(runs, "killed", data, "bf16");
        Path marker = dir.resolve("paused");
        Process p = ChildRuns.start(log, ChildRuns.pauseAt("step:7", marker), killed);
        ChildRuns.awaitMarker(p, marker, log);
        p.destroyForcibly().waitFor(); // SIGKILL after step 7; the newest checkpoint is step 6's
        assertEquals(6, Checkpoint.peek(runs.resolve("killed/checkpoints/last.ckpt")).state().step());
        assertEquals(0, ChildRuns.runToEnd(log, List.of(), killed), () -> read(log));
        assertTrue(read(log).contains("at step 6"), read(log));

        byte[] full = ChildRuns.stateBytes(runs.resolve("full/checkpoints/last.ckpt"));
        byte[] resumed = ChildRuns.stateBytes(runs.resolve("killed/checkpoints/last.ckpt"));
        assertArrayEquals(full, resumed, "bf16: kill -9 + resume equals the uninterrupted run");

        // the same run in fp32: a checkpoint of the same size (a 16-bit tensor would halve its bytes), other values
        ChildRuns.Result fp32 = ChildRuns.inProcess(args(runs, "fp32", data, "fp32"));
        assertEquals(0, fp32.code(), fp32.all());
        byte[] ref = ChildRuns.stateBytes(runs.resolve("fp32/checkpoints/last.ckpt"));
        assertEquals(ref.length, full.length, "bf16 checkpoints hold float32 tensors only");
        assertFalse(Arrays.equals(ref, full), "bf16 changed the arithmetic");

        // a resume at another precision is refused, naming the key
        ChildRuns.Result other = ChildRuns.inProcess(args(runs, "full", data, "fp32"));
        assertEquals(2, other.code(), other.all());
        assertTrue(other.err().contains("precision"), other.err());
    }

    @Test
    void fp16LogsAndCheckpointsItsLossScale() throws Exception {
        Path data = ChildRuns.writeData(dir.resolve("data"));
        Path runs = dir.resolve("runs");
        List<String> a = args(runs, "half", data, "fp16");
        a.set(a.indexOf("--epochs") + 1, "1");
        ChildRuns.Result r = ChildRuns.inProcess(a);
        assertEquals(0, r.code(), r.all());
        JsonNode last = null;
        for (JsonNode n : MetricsLog.read(runs.resolve("half/metrics.jsonl"))) {
            if (n.get("type").asText().equals("step")) {
                last = n;
            }
        }
        assertTrue(last != null && last.has("loss_scale") && last.has("amp_skipped"), String.valueOf(last));
        // the optimiser state ends with the scaler's: "LossScaler", scale, growth tracker, skipped steps
        byte[] state = ChildRuns.stateBytes(runs.resolve("half/checkpoints/last.ckpt"));
        DataInputStream tail = new DataInputStream(new ByteArrayInputStream(state, state.length - 24, 24));
        assertEquals("LossScaler", tail.readUTF());
        assertEquals(last.get("loss_scale").asDouble(), tail.readFloat());
        tail.readFloat();
        assertEquals(last.get("amp_skipped").asDouble(), tail.readFloat());
    }

    @Test
    void gpuWithoutAGpuIsRefusedBeforeAnythingIsWritten() throws Exception {
        Path runs = dir.resolve("runs");
        for (String device : List.of("gpu", "gpu:1")) {
            ChildRuns.Result r = ChildRuns.inProcess(List.of("train", "--name", "g", "--runs-dir", runs.toString(),
                    "--device", device, "--epochs", "1"));
            assertEquals(2, r.code(), r.all());
            assertTrue(r.err().contains("device: '" + device + "' asked for, but the loaded libtorch 2.7.1"), r.err());
            assertTrue(r.err().contains("CPU build") && r.err().contains("selfsup doctor"), r.err());
            assertFalse(r.err().contains("Exception"), r.err());
            assertFalse(Files.exists(runs), "nothing written");
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
