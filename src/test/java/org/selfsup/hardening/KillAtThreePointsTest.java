package org.selfsup.hardening;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfsup.train.checkpoint.Checkpoint;
import org.selfsup.train.checkpoint.CheckpointFile;
import org.selfsup.train.checkpoint.MetricsLog;

/**
 * Fault injection through the CLI: {@code selfsup train} in a child JVM is killed with SIGKILL at three
 * exact points (test-only pause points, {@link FaultPoints}) — mid-epoch, during the kNN
 * evaluation, while a checkpoint is being written — and re-running the same command each time finishes
 * with parameters bit-identical to an uninterrupted run. While a child holds the run folder, a second
 * {@code train} on it is refused (exit 2); the killed child's lock never blocks the re-run.
 *
 * <p>The run: 32 images, batch 8 → 4 steps per epoch, 3 epochs (12 steps), checkpoints at steps 3, 6, 9
 * (checkpoint-steps 3) and at every epoch end (4, 8, 12), kNN after every epoch.
 */
class KillAtThreePointsTest {
    @TempDir
    Path dir;

    @Test
    void killedThreeTimesResumesBitIdentically() throws Exception {
        Path data = ChildRuns.writeData(dir.resolve("data"));
        Path runs = dir.resolve("runs");
        Path log = dir.resolve("child.log");
        assertEquals(0, ChildRuns.runToEnd(log, List.of(), ChildRuns.trainArgs(runs, "full", data, 3)),
                () -> read(log));

        List<String> args = ChildRuns.trainArgs(runs, "killed", data, 3);
        Path ckpts = runs.resolve("killed/checkpoints");
        Path metrics = runs.resolve("killed/metrics.jsonl");

        // (a) mid-epoch: after step 7 (epoch 2, batch 3); the newest checkpoint is step 6's
        Process p = pauseAndCheck("step:7", args, log);
        ChildRuns.Result busy = ChildRuns.inProcess(args);
        assertEquals(2, busy.code(), busy.all());
        assertTrue(busy.err().contains("is in use by another selfsup process"), busy.err());
        assertFalse(busy.err().contains("Exception"), busy.err());
        assertFalse(busy.out().contains("data: "), "refused before loading the data: " + busy.out());
        p.destroyForcibly().waitFor();
        assertEquals(6, Checkpoint.peek(ckpts.resolve("last.ckpt")).state().step());
        assertEquals(7, lastStep(metrics), "the killed run had logged step 7");

        // (b) during the kNN evaluation after epoch 2 (step 8, checkpointed before the evaluation)
        p = pauseAndCheck("eval", args, log);
        assertTrue(read(log).contains("resuming") && read(log).contains("at step 6"), read(log));
        p.destroyForcibly().waitFor();
        assertEquals(8, Checkpoint.peek(ckpts.resolve("last.ckpt")).state().step());
        assertEquals(1, evalEpochs(metrics).size(), "epoch 2's evaluation was killed: " + evalEpochs(metrics));

        // (c) while the second checkpoint of this process (step 12, the last one) is being written
        p = pauseAndCheck("checkpoint-write#2", args, log);
        assertTrue(read(log).contains("at step 8"), read(log));
        p.destroyForcibly().waitFor();
        assertEquals(9, Checkpoint.peek(ckpts.resolve("last.ckpt")).state().step(),
                "the half-written step-12 checkpoint never replaced step 9's");
        List<Path> temporaries = temporaries(ckpts);
        assertEquals(1, temporaries.size(), "the killed write's temporary file: " + temporaries);
        assertThrowsCorrupt(temporaries.get(0));

        // the same command once more finishes the run
        assertEquals(0, ChildRuns.runToEnd(log, List.of(), args), () -> read(log));
        String out = read(log);
        assertTrue(out.contains("from last.ckpt at step 9"), out);
        assertEquals(List.of(), temporaries(ckpts), "temporaries of the killed writer are cleaned up");

        Path full = runs.resolve("full/checkpoints/last.ckpt");
        Path resumed = ckpts.resolve("last.ckpt");
        assertEquals(12, Checkpoint.peek(resumed).state().step());
        assertArrayEquals(ChildRuns.stateBytes(full), ChildRuns.stateBytes(resumed),
                "parameters, BN statistics and momentum after 3 kills equal the uninterrupted run's");

        // metrics: every step exactly once, in order; one evaluation per epoch; a summary; the report
        List<Long> steps = new ArrayList<>();
        for (JsonNode n : MetricsLog.read(metrics)) {
            if (n.get("type").asText().equals("step")) {
                steps.add(n.get("step").asLong());
            }
        }
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L), steps);
        assertEquals(List.of(0, 1, 2), evalEpochs(metrics));
        assertEquals(evalValues(runs.resolve("full/metrics.jsonl")), evalValues(metrics),
                "kNN accuracies equal the uninterrupted run's");
        assertEquals(1, MetricsLog.read(metrics).stream().filter(n -> n.get("type").asText().equals("summary"))
                .count());
        assertTrue(Files.size(runs.resolve("killed/report.html")) > 0);

        // re-running the finished command trains nothing, rewrites summary and report, keeps one summary
        ChildRuns.Result again = ChildRuns.inProcess(args);
        assertEquals(0, again.code(), again.all());
        assertTrue(again.out().contains("already complete"), again.out());
        assertEquals(1, MetricsLog.read(metrics).stream().filter(n -> n.get("type").asText().equals("summary"))
                .count());
        assertArrayEquals(ChildRuns.stateBytes(full), ChildRuns.stateBytes(resumed));
    }

    /** Starts the child with a pause point and waits until it has paused there. */
    private Process pauseAndCheck(String point, List<String> args, Path log) throws Exception {
        Path marker = dir.resolve("paused-" + point.replaceAll("[^a-z0-9]", "_"));
        Process p = ChildRuns.start(log, ChildRuns.pauseAt(point, marker), args);
        ChildRuns.awaitMarker(p, marker, log);
        assertTrue(p.isAlive());
        return p;
    }

    private static void assertThrowsCorrupt(Path file) {
        org.junit.jupiter.api.Assertions.assertThrows(org.selfsup.train.checkpoint.CorruptCheckpointException.class,
                () -> CheckpointFile.verify(file), "a half-written checkpoint is never taken for a good one");
    }

    private static List<Path> temporaries(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(f -> f.getFileName().toString().startsWith(".tmp-")).toList();
        }
    }

    private static long lastStep(Path metrics) {
        List<JsonNode> recs = MetricsLog.read(metrics);
        return recs.get(recs.size() - 1).get("step").asLong();
    }

    private static List<Integer> evalEpochs(Path metrics) {
        return MetricsLog.read(metrics).stream().filter(n -> n.get("type").asText().equals("eval"))
                .map(n -> n.get("epoch").asInt()).toList();
    }

    private static List<String> evalValues(Path metrics) {
        return MetricsLog.read(metrics).stream().filter(n -> n.get("type").asText().equals("eval"))
                .map(n -> n.get("knn_top1").asText()).toList();
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return "(no log: " + e + ")";
        }
    }

}
