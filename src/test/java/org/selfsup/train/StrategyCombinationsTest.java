package org.selfsup.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfsup.config.TrainConfig;
import org.selfsup.data.Dataset;
import org.selfsup.job.Pretraining;
import org.selfsup.method.HeavyStrategies;
import org.selfsup.method.HeavyStrategy;
import org.selfsup.method.MethodRegistry;
import org.selfsup.train.checkpoint.MetricsLog;

/**
 * Every base method with every heavy-augmentation strategy trains through the real loop on synthetic data (its
 * default plan, EMA, schedules, checkpoints) and resumes bit for bit from a mid-run checkpoint; an alias and
 * its {@code --method BASE --heavy STRATEGY} form write the same metrics.
 */
class StrategyCombinationsTest {
    @BeforeAll
    static void threads() {
        TinyRuns.singleThreaded();
    }

    @TempDir
    Path runs;

    private final PrintWriter console = new PrintWriter(new StringWriter(), true);

    private TrainConfig config(Path dir, String method, String heavy) {
        TrainConfig c = TinyRuns.config(dir, "r", method, 1);
        c.heavy = heavy;
        c.lr = 0.01; // VICReg under plain SGD needs a small rate (its paper uses LARS)
        c.knnEvery = 0;
        c.probe = "";
        return c;
    }

    @Test
    void everyCombinationTrainsAndResumesBitForBit() throws Exception {
        Dataset ds = TinyRuns.data(24); // 3 steps per epoch
        for (String base : MethodRegistry.BASE_NAMES) {
            for (HeavyStrategy s : HeavyStrategies.ALL) {
                String name = base + "+" + s.name();
                Path dir = runs.resolve(name);
                assertTrue(new Pretraining(config(dir.resolve("full"), base, s.name()), console).withDataset(ds).run()
                        .complete(), name);
                TrainConfig cut = config(dir.resolve("cut"), base, s.name());
                cut.checkpointSteps = 1;
                assertFalse(new Pretraining(cut, console).withDataset(ds).stopAfterSteps(2).run().complete(), name);
                assertTrue(new Pretraining(cut, console).withDataset(ds).run().complete(), name);
                assertArrayEquals(TinyRuns.stateBytes(dir.resolve("full/r/checkpoints/last.ckpt")),
                        TinyRuns.stateBytes(dir.resolve("cut/r/checkpoints/last.ckpt")), name + ": resume");
                List<JsonNode> steps = steps(dir.resolve("full/r"));
                assertEquals(3, steps.size(), name);
                steps.forEach(n -> assertTrue(Double.isFinite(n.get("loss").asDouble()), name + ": " + n));
            }
        }
    }

    @Test
    void anAliasAndItsBaseWithItsStrategyWriteTheSameMetrics() throws Exception {
        Dataset ds = TinyRuns.data(16);
        new Pretraining(config(runs.resolve("alias"), "rsa", "none"), console).withDataset(ds).run();
        new Pretraining(config(runs.resolve("axis"), "byol", "rsa"), console).withDataset(ds).run();
        List<JsonNode> alias = steps(runs.resolve("alias/r"));
        List<JsonNode> axis = steps(runs.resolve("axis/r"));
        assertEquals(alias.size(), axis.size());
        for (int i = 0; i < alias.size(); i++) {
            for (String key : List.of("loss", "loss_aw", "loss_aa", "beta", "shift_a1", "shift_a2", "proj_std", "lr")) {
                assertEquals(alias.get(i).get(key).asDouble(), axis.get(i).get(key).asDouble(), 0.0, key);
            }
        }
        assertArrayEquals(TinyRuns.stateBytes(runs.resolve("alias/r/checkpoints/last.ckpt")),
                TinyRuns.stateBytes(runs.resolve("axis/r/checkpoints/last.ckpt")));
    }

    private static List<JsonNode> steps(Path run) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode n : MetricsLog.read(run.resolve("metrics.jsonl"))) {
            if (n.get("type").asText().equals("step")) {
                out.add(n);
            }
        }
        return out;
    }
}
