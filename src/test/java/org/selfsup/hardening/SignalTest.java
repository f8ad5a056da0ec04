package org.selfsup.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfsup.train.Checkpoint;
import org.selfsup.train.CheckpointFile;

/**
 * A polite stop (SIGTERM, as {@code kill} or a job scheduler sends; Ctrl-C's SIGINT takes the same shutdown
 * path with exit code 130) arriving while a checkpoint is being written: the write is finished before the
 * JVM exits, so the run folder holds a complete new checkpoint and no temporary file.
 */
class SignalTest {
    @TempDir
    Path dir;

    @Test
    void terminationLetsTheCheckpointWriteFinish() throws Exception {
        Path data = ChildRuns.writeData(dir.resolve("data"));
        List<String> args = ChildRuns.trainArgs(dir.resolve("runs"), "s", data, 2);
        Path marker = dir.resolve("paused");
        Path log = dir.resolve("child.log");
        List<String> props = new ArrayList<>(ChildRuns.pauseAt("checkpoint-write#1", marker)); // step 3's
        props.add("-Dselfsup.test.pauseMillis=2000");
        Process p = ChildRuns.start(log, props, args);
        ChildRuns.awaitMarker(p, marker, log);
        p.destroy(); // SIGTERM while the payload is half on disk
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child did not exit");
        String out = Files.readString(log);
        assertEquals(128 + 15, p.exitValue(), out);
        assertTrue(out.contains("selfsup: interrupted by SIGTERM (exit code 143)"), out); // said 130 before
        Path ckpts = dir.resolve("runs/s/checkpoints");
        CheckpointFile.verify(ckpts.resolve("last.ckpt"));
        assertTrue(Checkpoint.peek(ckpts.resolve("last.ckpt")).state().step() >= 3, "step 3's checkpoint completed");
        try (Stream<Path> s = Files.list(ckpts)) {
            assertEquals(List.of(), s.filter(f -> f.getFileName().toString().startsWith(".tmp-")).toList());
        }
    }

    /** {@code train --help} lists every exit code, the signal ones included. */
    @Test
    void trainHelpListsTheExitCodesAndSignals() {
        String help = org.selfsup.cli.CliRun.execute("train", "--help").out().replaceAll("\\s+", " ");
        for (String code : List.of("0 done", "1 internal error", "2 bad flag", "3 loss became NaN",
                "130 Ctrl-C (SIGINT)", "143 SIGTERM", "129 SIGHUP")) {
            assertTrue(help.contains(code), code + " in: " + help);
        }
    }

    /**
     * Ctrl-C: SIGINT to the child gives exit code 130 with the same completed checkpoint. Skipped where the
     * test runner starts processes with SIGINT ignored (a background job of a non-interactive shell): the JVM
     * then installs no handler and the signal does nothing.
     */
    @Test
    void ctrlCExitsWith130AfterTheCheckpointWrite() throws Exception {
        Path data = ChildRuns.writeData(dir.resolve("data"));
        List<String> args = ChildRuns.trainArgs(dir.resolve("runs"), "i", data, 1);
        args.set(args.indexOf("--knn-every") + 1, "0");
        Path marker = dir.resolve("paused-int");
        Path log = dir.resolve("child-int.log");
        List<String> props = new ArrayList<>(ChildRuns.pauseAt("checkpoint-write#1", marker));
        props.add("-Dselfsup.test.pauseMillis=2000");
        Process p = ChildRuns.start(log, props, args);
        ChildRuns.awaitMarker(p, marker, log);
        Process kill = new ProcessBuilder("kill", "-INT", String.valueOf(p.pid())).inheritIO().start();
        assertEquals(0, kill.waitFor());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child did not exit");
        String out = Files.readString(log);
        org.junit.jupiter.api.Assumptions.assumeTrue(p.exitValue() != 0,
                "SIGINT is ignored in this environment; the child finished normally");
        assertEquals(130, p.exitValue(), out);
        assertTrue(out.contains("selfsup: interrupted by SIGINT (exit code 130)"), out);
        Path ckpts = dir.resolve("runs/i/checkpoints");
        CheckpointFile.verify(ckpts.resolve("last.ckpt"));
        assertTrue(Checkpoint.peek(ckpts.resolve("last.ckpt")).state().step() >= 3);
        try (Stream<Path> s = Files.list(ckpts)) {
            assertEquals(List.of(), s.filter(f -> f.getFileName().toString().startsWith(".tmp-")).toList());
        }
    }
}
