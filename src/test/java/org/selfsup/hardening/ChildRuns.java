package org.selfsup.hardening;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.selfsup.cli.Main;
import org.selfsup.data.DataOptions;
import org.selfsup.data.ImageStore;
import org.selfsup.data.readers.DatasetRegistry;
import org.selfsup.data.readers.IdxReader;
import org.selfsup.train.checkpoint.Checkpoint;
import org.selfsup.train.checkpoint.CheckpointFile;
import picocli.CommandLine;

/**
 * Runs {@code selfsup train} on a tiny data set, in a child JVM (to kill it) or in-process (to read its
 * output): MNIST-format IDX files holding 32 training and 16 test images of the embedded Fashion-MNIST
 * subset, small ResNet width 8, 16 px views, batch 8 (4 steps per epoch).
 */
final class ChildRuns {
    private ChildRuns() {}

    /** Output of an in-process CLI run. */
    record Result(int code, String out, String err) {
        String all() {
            return out + err;
        }
    }

    /** Writes the tiny data set in MNIST's IDX layout under {@code dir}; returns {@code dir}. */
    static Path writeData(Path dir) throws IOException {
        var fm = DatasetRegistry.load("fashion-mnist", null, new DataOptions());
        Files.createDirectories(dir);
        write(dir, "train", ((org.selfsup.data.ImageStore) fm.train()).subset("train", IntStream.range(0, 32).toArray()));
        write(dir, "t10k", ((org.selfsup.data.ImageStore) fm.test()).subset("test", IntStream.range(0, 16).toArray()));
        return dir;
    }

    private static void write(Path dir, String split, ImageStore store) throws IOException {
        byte[][] idx = IdxReader.encode(store);
        Files.write(dir.resolve(split + "-images-idx3-ubyte"), idx[0]);
        Files.write(dir.resolve(split + "-labels-idx1-ubyte"), idx[1]);
    }

    /** The {@code train} arguments of the tiny run {@code name} in {@code runs}. */
    static List<String> trainArgs(Path runs, String name, Path data, int epochs) {
        return new ArrayList<>(List.of("train", "--name", name, "--runs-dir", runs.toString(), "--dataset", "mnist",
                "--data-dir", data.toString(), "--method", "byol", "--plan", "byol", "--arch", "small", "--width", "8",
                "--blocks", "1,1,1,1", "--image-size", "16", "--epochs", String.valueOf(epochs), "--batch-size", "8",
                "--lr", "0.05", "--lr-scaling", "none", "--knn-every", "1", "--knn-k", "5",
                "--checkpoint-steps", "3", "--log-every", "1", "--threads", "1", "--prefetch", "1",
                "--device", "cpu", "--seed", "7"));
    }

    /**
     * Starts {@code org.selfsup.cli.Main args} (through {@link PausingMain}) in a child JVM with the test class path; one PyTorch thread
     * (results are deterministic for a fixed thread count; every child uses the same).
     *
     * @param props extra {@code -D} options (e.g. the test-only pause point)
     */
    static Process start(Path log, List<String> props, List<String> args) throws IOException {
        List<String> cmd = command(props, args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("OMP_NUM_THREADS", "1");
        return pb.start();
    }

    /**
     * The child JVM's command line: test class path, 512 MB heap, one PyTorch thread, {@code props}, the CLI
     * with the pause-point hook ({@link PausingMain}).
     */
    static List<String> command(List<String> props, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "-Xmx512m", "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1"));
        cmd.addAll(props);
        cmd.add(PausingMain.class.getName());
        cmd.addAll(args);
        return cmd;
    }

    /** Runs a child to its end; returns its exit code. */
    static int runToEnd(Path log, List<String> props, List<String> args) throws Exception {
        Process p = start(log, props, args);
        if (!p.waitFor(240, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("child did not finish: " + Files.readString(log));
        }
        return p.exitValue();
    }

    /** Waits until {@code marker} exists (the child paused there); fails if the child ends first. */
    static void awaitMarker(Process p, Path marker, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (!Files.exists(marker)) {
            if (!p.isAlive()) {
                throw new AssertionError("child ended (" + p.exitValue() + ") before its pause point: "
                        + Files.readString(log));
            }
            if (System.nanoTime() > deadline) {
                p.destroyForcibly().waitFor();
                throw new AssertionError("child never reached its pause point: " + Files.readString(log));
            }
            Thread.sleep(20);
        }
    }

    /** The pause-point properties (see {@link FaultPoints}). */
    static List<String> pauseAt(String point, Path marker) {
        return List.of("-Dselfsup.test.pauseAt=" + point, "-Dselfsup.test.pauseMarker=" + marker);
    }

    /** Runs the CLI in this JVM. */
    static Result inProcess(List<String> args) {
        CommandLine cl = Main.newCommandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args.toArray(String[]::new));
        return new Result(code, out.toString(), err.toString());
    }

    /** A checkpoint's payload after its header: all parameters, BN statistics, optimiser state. */
    static byte[] stateBytes(Path checkpoint) throws IOException {
        return CheckpointFile.read(checkpoint, (DataInputStream in) -> {
            Checkpoint.readHeader(in);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        });
    }
}
