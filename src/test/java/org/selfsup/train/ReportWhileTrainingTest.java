package org.selfsup.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfsup.config.TrainConfig;
import org.selfsup.data.Dataset;
import org.selfsup.data.Image;
import org.selfsup.data.ImageSet;
import org.selfsup.job.Pretraining;
import org.selfsup.report.RunReport;
import org.selfsup.util.UserException;

/**
 * Rendering the report from another process while a run trains never disturbs the run: the run finishes
 * with the same weights as an undisturbed one, and the renders show it as running.
 */
class ReportWhileTrainingTest {
    private static final int IMAGES = 32;

    @TempDir
    Path runs;

    @BeforeAll
    static void threads() {
        TinyRuns.singleThreaded();
    }

    static TrainConfig config(Path runsDir) {
        TrainConfig c = TinyRuns.config(runsDir, "live", "byol", 4);
        c.knnEvery = 1;
        c.knnK = 5;
        c.checkpointSteps = 1;
        return c;
    }

    /**
     * Child process: trains the run in {@code args[0]} to the end; after its first epoch it waits (at most
     * {@link #GATE_SECONDS}) for the file {@code args[1]}, which the parent writes once a render has shown the
     * run as running, so that however slowly the parent renders, the run is still going when it looks.
     */
    public static void main(String[] args) {
        TinyRuns.singleThreaded();
        Dataset d = TinyRuns.data(IMAGES);
        Dataset gated = new Dataset(d.name(), new Gated(d.pretrain(), Path.of(args[1])), d.train(), d.test(),
                d.normalization(), d.viewSize());
        new Pretraining(config(Path.of(args[0])), new PrintWriter(System.out, true)).withDataset(gated).run();
    }

    private static final int GATE_SECONDS = 120;

    /** Pretraining images whose reads after the first epoch's wait for the gate file. */
    private record Gated(ImageSet inner, Path gate, AtomicInteger reads) implements ImageSet {
        Gated(ImageSet inner, Path gate) {
            this(inner, gate, new AtomicInteger());
        }

        @Override public String name() { return inner.name(); }
        @Override public int size() { return inner.size(); }
        @Override public int label(int i) { return inner.label(i); }
        @Override public int[] labels() { return inner.labels(); }
        @Override public List<String> classNames() { return inner.classNames(); }
        @Override public ImageSet subset(String newName, int[] indices) { return inner.subset(newName, indices); }

        @Override
        public Image rgb(int i) {
            if (reads.incrementAndGet() > IMAGES) {
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(GATE_SECONDS);
                while (!Files.exists(gate) && System.nanoTime() < until) {
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
            }
            return inner.rgb(i);
        }
    }

    @Test
    void renderingWhileTrainingNeverBreaksTheRun() throws Exception {
        Path live = runs.resolve("child");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path gate = runs.resolve("go");
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "-Dai.djl.offline=true",
                ReportWhileTrainingTest.class.getName(), live.toString(), gate.toString())
                .redirectErrorStream(true).redirectOutput(runs.resolve("child.log").toFile()).start();
        Path dir = live.resolve("live");
        int renders = 0;
        boolean sawRunning = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (p.isAlive() && System.nanoTime() < deadline) {
            try {
                Path html = RunReport.render(dir, w -> { });
                String page = Files.readString(html);
                assertTrue(page.contains("Run health"), page);
                renders++;
                if (!sawRunning && page.contains("running (process " + p.pid())) {
                    sawRunning = true;
                    Files.writeString(gate, "go"); // the child may finish now
                }
            } catch (UserException e) {
                // before the run folder or its first metrics line exists
                assertTrue(e.getMessage().contains("metrics") || e.getMessage().contains("not a run directory"),
                        e.getMessage());
            }
            Thread.sleep(50);
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child still running");
        assertEquals(0, p.exitValue(), Files.readString(runs.resolve("child.log")));
        assertTrue(renders > 0 && sawRunning, renders + " renders, running seen: " + sawRunning + "\n"
                + Files.readString(runs.resolve("child.log")));
        String done = Files.readString(RunReport.render(dir, w -> { }));
        assertTrue(done.contains("<td>state</td><td>complete</td>"), done);

        StringWriter text = new StringWriter();
        new Pretraining(config(runs.resolve("quiet")), new PrintWriter(text)).withDataset(TinyRuns.data(IMAGES)).run();
        assertArrayEquals(TinyRuns.stateBytes(runs.resolve("quiet/live/checkpoints/last.ckpt")),
                TinyRuns.stateBytes(dir.resolve("checkpoints/last.ckpt")));
    }
}
