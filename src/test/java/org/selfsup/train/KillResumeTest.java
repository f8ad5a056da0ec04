package org.selfsup.train;

import org.selfsup.job.Pretraining;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfsup.config.TrainConfig;
import org.selfsup.data.Dataset;
import org.selfsup.train.checkpoint.MetricsLog;
import org.selfsup.train.checkpoint.RunDir;

/**
 * Fault injection: a training process killed with SIGKILL ({@code destroyForcibly}) mid-run, and a crash
 * inside the epoch hooks, both resume to the same final state as an uninterrupted run.
 */
class KillResumeTest {
    private static final int IMAGES = 32; // 4 steps per epoch
    private static final int EPOCHS = 3;

    @TempDir
    Path runs;

    @BeforeAll
    static void threads() {
        TinyRuns.singleThreaded();
    }

    static TrainConfig config(Path runsDir) {
        TrainConfig c = TinyRuns.config(runsDir, "k", "byol", EPOCHS);
        c.checkpointSteps = 1; // a checkpoint after every step: the kill often lands in the middle of a write
        return c;
    }

    /** Child process: trains the run in {@code args[0]} to the end (unless killed). */
    public static void main(String[] args) {
        TinyRuns.singleThreaded();
        new Pretraining(config(Path.of(args[0])), new PrintWriter(System.out, true)).withDataset(TinyRuns.data(IMAGES)).run();
    }

    @Test
    void killedProcessResumesBitIdentically() throws Exception {
        Dataset ds = TinyRuns.data(IMAGES);
        StringWriter text = new StringWriter();
        new Pretraining(config(runs.resolve("full")), new PrintWriter(text)).withDataset(ds).run();

        Path killed = runs.resolve("killed");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "-Dai.djl.offline=true",
                KillResumeTest.class.getName(), killed.toString())
                .redirectErrorStream(true).redirectOutput(runs.resolve("child.log").toFile()).start();
        Path last = killed.resolve("k/checkpoints/last.ckpt");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        long seen = -1;
        while (p.isAlive() && System.nanoTime() < deadline) {
            if (Files.exists(last)) {
                try {
                    seen = TinyRuns.header(last).state().step();
                } catch (java.io.IOException e) {
                    seen = -1; // being replaced right now
                }
                if (seen >= 5) {
                    break;
                }
            }
            Thread.sleep(20);
        }
        assertTrue(p.isAlive(), "child finished or died before the kill: " + Files.readString(runs.resolve("child.log")));
        // the live run holds the folder's lock: a second run on it is refused
        org.selfsup.util.UserException busy = org.junit.jupiter.api.Assertions.assertThrows(
                org.selfsup.util.UserException.class, () -> RunDir.open(killed, "k"));
        assertTrue(busy.getMessage().contains("in use by another selfsup process"), busy.getMessage());
        p.destroyForcibly().waitFor();
        assertTrue(seen >= 5 && seen < (long) EPOCHS * 4, "killed mid-run at checkpoint step " + seen);

        // the killed process's lock is gone with it: the same command resumes
        text.getBuffer().setLength(0);
        new Pretraining(config(killed), new PrintWriter(text)).withDataset(ds).run();
        assertTrue(text.toString().contains("resuming"), text.toString());
        assertArrayEquals(TinyRuns.stateBytes(runs.resolve("full/k/checkpoints/last.ckpt")),
                TinyRuns.stateBytes(last));
    }

    @Test
    void crashDuringEpochHooksRerunsThemOnResume() throws Exception {
        Dataset ds = TinyRuns.data(IMAGES);
        TrainConfig c = TinyRuns.config(runs, "hooks", "simsiam", 2);
        StringWriter text = new StringWriter();
        try {
            new Pretraining(c, new PrintWriter(text)).withDataset(ds).addListener(new TrainingListener() {
                @Override
                public Map<String, Double> evaluate(int epoch, long step) {
                    throw new IllegalStateException("simulated crash in the kNN monitor");
                }
            }).run();
        } catch (IllegalStateException expected) {
            // the process would have died here
        }
        List<String> calls = new ArrayList<>();
        new Pretraining(c, new PrintWriter(text)).withDataset(ds).addListener(new TrainingListener() {
            @Override
            public Map<String, Double> evaluate(int epoch, long step) {
                calls.add(epoch + "@" + step);
                return Map.of("knn_top1", 10.0 + epoch);
            }
        }).run();
        assertEquals(List.of("0@4", "1@8"), calls);
        long evalLines = MetricsLog.read(runs.resolve("hooks/metrics.jsonl")).stream()
                .filter(n -> n.get("type").asText().equals("eval")).count();
        assertEquals(2, evalLines);
    }
}
