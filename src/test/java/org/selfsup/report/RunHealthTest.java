package org.selfsup.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report's health section and embedding maps, from run folders alone. */
class RunHealthTest {
    @TempDir
    Path tmp;

    /** A run folder's embedding-map.json with three well separated classes. */
    private static void map(Path run, long seed) throws IOException {
        Random r = new Random(seed);
        StringBuilder x = new StringBuilder();
        StringBuilder y = new StringBuilder();
        StringBuilder l = new StringBuilder();
        for (int i = 0; i < 90; i++) {
            String sep = i == 0 ? "" : ",";
            x.append(sep).append(10 * (i % 3) + r.nextGaussian());
            y.append(sep).append(5 * (i % 3) + r.nextGaussian());
            l.append(sep).append(i % 3);
        }
        Files.writeString(run.resolve(EmbeddingMapChart.FILE), "{\"method\":\"umap\",\"step\":50,\"classes\":"
                + "[\"a\",\"b\",\"c\"],\"x\":[" + x + "],\"y\":[" + y + "],\"label\":[" + l + "]}");
    }

    @Test
    void stoppedRunShowsItsLastStateAndProgress() throws IOException {
        Path run = SyntheticRuns.write(tmp, "half", 5);
        // keep the first two epochs only: a run that stopped at step 20 of 50
        List<String> lines = Files.readAllLines(run.resolve("metrics.jsonl")).stream()
                .filter(s -> !s.contains("\"summary\"") && !s.matches(".*\"step\":([3-9][0-9]|2[1-9]).*"))
                .toList();
        Files.write(run.resolve("metrics.jsonl"), lines);
        Files.writeString(run.resolve(RunHealth.LOCK), "999999999\n"); // a pid that is not alive
        RunInfo info = RunInfo.load(run);
        assertEquals(RunHealth.State.STOPPED, RunHealth.state(info));
        Map<String, String> rows = new java.util.LinkedHashMap<>();
        for (String[] r : RunHealth.rows(info)) {
            rows.put(r[0], r[1]);
        }
        assertTrue(rows.get("state").startsWith("stopped"), rows.toString());
        assertTrue(rows.get("last logged step").startsWith("20 (epoch 1)"), rows.toString());
        assertTrue(rows.get("progress").startsWith("20 of 50 steps (40.0%)"), rows.toString());
        // this very process holds no run folder: its own pid counts as not running
        Files.writeString(run.resolve(RunHealth.LOCK), ProcessHandle.current().pid() + "\n");
        assertEquals(RunHealth.State.STOPPED, RunHealth.state(info));
    }

    @Test
    void mapsAreDrawnForOneRunAndSideBySideForSeveral() throws IOException {
        Path a = SyntheticRuns.write(tmp, "a", 2);
        Path b = SyntheticRuns.write(tmp, "b", 4);
        map(a, 1);
        map(b, 2);
        String page = Files.readString(RunReport.render(a, w -> { }));
        assertTrue(page.contains("charts/embedding_map.png"), page);
        assertNotNull(ImageIO.read(a.resolve("charts/embedding_map.png").toFile()));
        assertTrue(page.contains("<h2>Run health</h2>") && page.contains("<td>state</td><td>complete</td>"), page);
        Path out = tmp.resolve("cmp");
        String cmp = Files.readString(RunComparison.compare(List.of(a, b), out, w -> { }));
        for (int i = 1; i <= 2; i++) {
            assertNotNull(ImageIO.read(out.resolve("charts/embedding_map_" + i + ".png").toFile()));
            assertTrue(cmp.contains("charts/embedding_map_" + i + ".png"), cmp);
        }
    }
}
