package org.selfsup.hardening;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code selfsup train} as a 2-rank job under mpirun (the tiny run of {@link ChildRuns}: 32 images, global
 * batch 8 = 2 x 4, 2 epochs of 4 steps, kNN every epoch, a checkpoint every 3 steps):
 * <ul>
 *   <li>only rank 0 writes: rank 1 runs in another working directory with the same relative
 *       {@code --runs-dir}, and nothing appears there;</li>
 *   <li>kill -9 of rank 1: mpirun (and so rank 0) ends within the bound; the same command resumes and
 *       ends bit-identical to the uninterrupted 2-rank run;</li>
 *   <li>a hung rank (SIGSTOP): rank 0's watchdog stops it after {@code dist-timeout} with exit code 4.</li>
 * </ul>
 */
class DataParallelRunTest {
    private static final long KILL_BOUND_SECONDS = 60;

    @BeforeEach
    void needMpi() {
        Assumptions.assumeTrue(mpirun() != null,
                "mpirun is not on the PATH: install Open MPI (apt-get install openmpi-bin) to run the 2-process tests");
    }

    @Test
    void onlyRankZeroWritesAndAKilledRankResumesBitIdentically(@TempDir Path dir) throws Exception {
        Path data = ChildRuns.writeData(dir.resolve("data"));
        Path a = Files.createDirectories(dir.resolve("a"));
        Path b = Files.createDirectories(dir.resolve("b"));
        List<String> args = ChildRuns.trainArgs(Path.of("runs"), "dp", data, 2);

        // uninterrupted, rank 1 in another folder
        Path log = dir.resolve("full.log");
        List<String> cmd = mpirunHead();
        cmd.addAll(List.of("-np", "1", "-wdir", a.toString()));
        cmd.addAll(rank(args, List.of()));
        cmd.addAll(List.of(":", "-np", "1", "-wdir", b.toString()));
        cmd.addAll(rank(args, List.of()));
        assertEquals(0, run(cmd, log, 300), Files.readString(log));
        Path full = a.resolve("runs/dp");
        assertTrue(Files.exists(full.resolve("checkpoints/last.ckpt")), Files.readString(log));
        assertTrue(Files.exists(full.resolve("report.html")));
        assertFalse(Files.exists(b.resolve("runs")), "rank 1 wrote into its run folder");
        assertEquals(8, stepLines(full), "each of the 8 global steps logged once");
        String out = Files.readString(log);
        assertTrue(out.contains("data parallel: 2 ranks over MPI, 4 images per rank and step (global batch 8)"), out);
        byte[] want = ChildRuns.stateBytes(full.resolve("checkpoints/last.ckpt"));

        // killed: both ranks in one folder; rank 0 pauses after logging step 6, rank 1 is killed
        Path shared = Files.createDirectories(dir.resolve("shared"));
        Path marker = dir.resolve("paused");
        Path killLog = dir.resolve("killed.log");
        List<String> killed = mpirunHead();
        killed.addAll(List.of("-np", "2", "-wdir", shared.toString()));
        killed.addAll(rank(args, ChildRuns.pauseAt("step:6", marker)));
        Process p = start(killed, killLog);
        ChildRuns.awaitMarker(p, marker, killLog);
        long rank0 = Long.parseLong(Files.readString(shared.resolve("runs/dp/.lock")).trim());
        ProcessHandle victim = p.descendants().filter(h -> h.pid() != rank0
                && h.info().command().map(c -> c.endsWith("java")).orElse(false)).findFirst().orElseThrow();
        long t0 = System.nanoTime();
        victim.destroyForcibly();
        assertTrue(p.waitFor(KILL_BOUND_SECONDS, TimeUnit.SECONDS), "mpirun still running after rank 1 was killed");
        ProcessHandle.of(rank0).ifPresent(h -> h.onExit().orTimeout(KILL_BOUND_SECONDS, TimeUnit.SECONDS).join());
        double secs = (System.nanoTime() - t0) / 1e9;
        assertNotEquals(0, p.exitValue(), Files.readString(killLog));
        System.out.printf("kill -9 of rank 1: the job ended %.1f s later%n", secs);

        // the same command resumes and ends where the uninterrupted run ended
        Path resumeLog = dir.resolve("resumed.log");
        List<String> again = mpirunHead();
        again.addAll(List.of("-np", "2", "-wdir", shared.toString()));
        again.addAll(rank(args, List.of()));
        assertEquals(0, run(again, resumeLog, 300), Files.readString(resumeLog));
        String resumed = Files.readString(resumeLog);
        assertTrue(resumed.contains("resuming"), resumed);
        assertArrayEquals(want, ChildRuns.stateBytes(shared.resolve("runs/dp/checkpoints/last.ckpt")),
                "resumed 2-rank run differs from the uninterrupted one");
    }

    /**
     * Gradient accumulation over real ranks: 2 ranks x 4 images, 2 batches per optimiser step (effective batch
     * 16), 32 images for 2 epochs = 4 optimiser steps, each logged once by rank 0, every loss finite.
     */
    @Test
    void accumulationOverTwoRanksStepsOncePerEffectiveBatch(@TempDir Path dir) throws Exception {
        Path data = ChildRuns.writeData(dir.resolve("data"));
        List<String> args = ChildRuns.trainArgs(dir.resolve("runs"), "acc", data, 2);
        args.addAll(List.of("--accumulate-steps", "2"));
        Path log = dir.resolve("acc.log");
        List<String> cmd = mpirunHead();
        cmd.addAll(List.of("-np", "2"));
        cmd.addAll(rank(args, List.of()));
        assertEquals(0, run(cmd, log, 300), Files.readString(log));
        Path runDir = dir.resolve("runs/acc");
        assertEquals(4, stepLines(runDir), "one line per optimiser step: " + Files.readString(log));
        for (String line : Files.readAllLines(runDir.resolve("metrics.jsonl"))) {
            if (line.contains("\"type\":\"step\"")) {
                double loss = new com.fasterxml.jackson.databind.ObjectMapper().readTree(line).get("loss").asDouble();
                assertTrue(Double.isFinite(loss), line);
            }
        }
        String out = Files.readString(log);
        assertTrue(out.contains("data parallel: 2 ranks over MPI, 4 images per rank and step (global batch 8)"), out);
    }

    @Test
    void aHungRankStopsTheOthersAfterTheTimeout(@TempDir Path dir) throws Exception {
        Path data = ChildRuns.writeData(dir.resolve("data"));
        List<String> args = ChildRuns.trainArgs(dir.resolve("runs"), "hang", data, 200);
        args.set(args.indexOf("--knn-every") + 1, "0");
        args.addAll(List.of("--dist-timeout", "5"));
        Path log = dir.resolve("hang.log");
        List<String> cmd = mpirunHead();
        cmd.addAll(List.of("-np", "2"));
        cmd.addAll(rank(args, List.of()));
        Process p = start(cmd, log);
        Path metrics = dir.resolve("runs/hang/metrics.jsonl");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (!(Files.exists(metrics) && Files.readString(metrics).contains("\"step\":3,"))) {
            assertTrue(p.isAlive() && System.nanoTime() < deadline, "run did not reach step 3: " + Files.readString(log));
            Thread.sleep(50);
        }
        long rank0 = Long.parseLong(Files.readString(dir.resolve("runs/hang/.lock")).trim());
        ProcessHandle other = p.descendants().filter(h -> h.pid() != rank0
                && h.info().command().map(c -> c.endsWith("java")).orElse(false)).findFirst().orElseThrow();
        new ProcessBuilder("kill", "-STOP", String.valueOf(other.pid())).start().waitFor();
        long t0 = System.nanoTime();
        try {
            assertTrue(p.waitFor(KILL_BOUND_SECONDS, TimeUnit.SECONDS), "job still running with a hung rank");
        } finally {
            other.destroyForcibly();
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        String out = Files.readString(log);
        assertTrue(out.contains("no progress for 5 s") && out.contains("exit code 4"), out);
        assertNotEquals(0, p.exitValue(), out);
        System.out.printf("SIGSTOP of rank 1: the job ended %.1f s later (dist-timeout 5 s)%n", secs);
    }

    private static String mpirun() {
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, "mpirun"))) {
                return Path.of(d, "mpirun").toString();
            }
        }
        return null;
    }

    private static List<String> mpirunHead() {
        List<String> cmd = new ArrayList<>(List.of(mpirun(), "--oversubscribe", "--bind-to", "none"));
        if ("root".equals(System.getProperty("user.name"))) {
            cmd.add("--allow-run-as-root");
        }
        return cmd;
    }

    /** One rank's JVM command (as {@link ChildRuns#start}). */
    private static List<String> rank(List<String> args, List<String> props) {
        return ChildRuns.command(props, args);
    }

    private static Process start(List<String> cmd, Path log) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("OMP_NUM_THREADS", "1");
        pb.environment().putIfAbsent("UCX_ERROR_SIGNALS", ""); // as selfsup launch: UCX's SIGSEGV handler kills JVMs
        return pb.start();
    }

    private static int run(List<String> cmd, Path log, long seconds) throws Exception {
        Process p = start(cmd, log);
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor();
            throw new AssertionError("mpirun did not finish: " + Files.readString(log));
        }
        return p.exitValue();
    }

    private static long stepLines(Path run) throws Exception {
        return Files.readAllLines(run.resolve("metrics.jsonl"), StandardCharsets.UTF_8).stream()
                .filter(l -> l.contains("\"type\":\"step\"")).count();
    }
}
