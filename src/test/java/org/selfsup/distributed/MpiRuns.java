package org.selfsup.distributed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts {@code mpirun -np N java ... MainClass args} with the test class path, for the 2-process tests.
 * One PyTorch thread per rank and no CPU binding (the machines are shared); as root, mpirun needs
 * {@code --allow-run-as-root}.
 */
final class MpiRuns {
    private MpiRuns() {}

    /** Why the MPI tests cannot run here, or null when mpirun is available. */
    static String unavailable() {
        return ProcessLauncher.findOnPath("mpirun") == null
                ? "mpirun is not on the PATH: install Open MPI (apt-get install openmpi-bin) to run the 2-process tests"
                : null;
    }

    /** The JVM part of a rank's command line. */
    static List<String> java(String mainClass, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "-Xmx384m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1", mainClass));
        cmd.addAll(args);
        return cmd;
    }

    /** Starts {@code np} ranks of {@code mainClass args} under mpirun, output to {@code log}. */
    static Process start(int np, Path log, String mainClass, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ProcessLauncher.findOnPath("mpirun"), "-np", String.valueOf(np),
                "--oversubscribe", "--bind-to", "none"));
        if ("root".equals(System.getProperty("user.name"))) {
            cmd.add("--allow-run-as-root");
        }
        cmd.addAll(java(mainClass, args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("OMP_NUM_THREADS", "1");
        pb.environment().putIfAbsent("UCX_ERROR_SIGNALS", ""); // as selfsup launch: UCX's SIGSEGV handler kills JVMs
        pb.environment().put("OPT_OUT_TRACKING", "true");
        return pb.start();
    }

    /** Runs to the end (at most {@code seconds}); returns the exit code. */
    static int run(int np, Path log, String mainClass, List<String> args, long seconds) throws Exception {
        Process p = start(np, log, mainClass, args);
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor();
            throw new AssertionError("mpirun did not finish in " + seconds + " s: " + Files.readString(log));
        }
        return p.exitValue();
    }
}
