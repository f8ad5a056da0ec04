package org.selfsup.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfsup.train.checkpoint.Checkpoint;
import org.selfsup.train.checkpoint.MetricsLog;

/**
 * A run killed after its final checkpoint but before its final evaluation was written is not complete:
 * re-running the command writes that epoch's {@code eval} line (and the summary reports it), instead of
 * saying "already complete" and losing the evaluation for good (issue 16, item 2).
 *
 * <p>The run: 32 images, batch 8, one epoch (4 steps), kNN after it; killed at the kNN evaluation.
 */
class KillBeforeFinalEvalTest {
    @TempDir
    Path dir;

    @Test
    void rerunWritesTheFinalEvaluationAKillInterrupted() throws Exception {
        Path data = ChildRuns.writeData(dir.resolve("data"));
        Path runs = dir.resolve("runs");
        Path log = dir.resolve("child.log");
        List<String> args = ChildRuns.trainArgs(runs, "final", data, 1);
        Path marker = dir.resolve("paused-eval");
        Process p = ChildRuns.start(log, ChildRuns.pauseAt("eval", marker), args);
        ChildRuns.awaitMarker(p, marker, log);
        p.destroyForcibly().waitFor();
        Path metrics = runs.resolve("final/metrics.jsonl");
        assertEquals(4, Checkpoint.peek(runs.resolve("final/checkpoints/last.ckpt")).state().step(),
                "killed after the final checkpoint");
        assertEquals(List.of(), evalEpochs(metrics), "killed before the evaluation line");

        ChildRuns.Result again = ChildRuns.inProcess(args);
        assertEquals(0, again.code(), again.all());
        assertTrue(again.out().matches("(?s).*epoch 1 eval: \\{[^}]*knn_top1=.*"), again.out());
        assertEquals(List.of(0), evalEpochs(metrics), "the final evaluation is written on re-run");
        JsonNode eval = lines(metrics, "eval").get(0);
        JsonNode summary = lines(metrics, "summary").get(0);
        assertEquals(eval.get("knn_top1").asDouble(), summary.get("knn_top1").asDouble(),
                "the summary reports the trained encoder's final evaluation");

        // now complete: a further re-run evaluates nothing again
        ChildRuns.Result third = ChildRuns.inProcess(args);
        assertEquals(0, third.code(), third.all());
        assertTrue(third.out().contains("already complete"), third.out());
        assertEquals(List.of(0), evalEpochs(metrics));
        assertTrue(Files.size(runs.resolve("final/report.html")) > 0);
    }

    private static List<JsonNode> lines(Path metrics, String type) {
        return MetricsLog.read(metrics).stream().filter(n -> n.get("type").asText().equals(type)).toList();
    }

    private static List<Integer> evalEpochs(Path metrics) {
        return lines(metrics, "eval").stream().map(n -> n.get("epoch").asInt()).toList();
    }
}
