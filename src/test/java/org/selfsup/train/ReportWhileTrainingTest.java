package org.selfsup.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfsup.config.TrainConfig;
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

    /** Child process: trains the run in {@code args[0]} to the end. */
    public static void main(String[] args) {
        TinyRuns.singleThreaded();
        new Pretraining(config(Path.of(args[0])), new PrintWriter(System.out, true)).withDataset(TinyRuns.data(IMAGES))
                .run();
    }

    @Test
    void renderingWhileTrainingNeverBreaksTheRun() throws Exception {
        Path live = runs.resolve("child");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "-Dai.djl.offline=true",
                ReportWhileTrainingTest.class.getName(), live.toString())
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
                sawRunning |= page.contains("running (process " + p.pid());
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
