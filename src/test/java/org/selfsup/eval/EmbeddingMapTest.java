package org.selfsup.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedding map: deterministic from the seed, and separable classes land apart. */
class EmbeddingMapTest {
    @TempDir
    Path dir;

    private static FeatureMatrix clusters(int n, int dim, int classes, int[] labels, long seed) {
        Random rnd = new Random(seed);
        float[][] centres = new float[classes][dim];
        for (float[] c : centres) {
            for (int d = 0; d < dim; d++) {
                c[d] = (float) rnd.nextGaussian() * 3;
            }
        }
        float[] x = new float[n * dim];
        for (int i = 0; i < n; i++) {
            labels[i] = i % classes;
            for (int d = 0; d < dim; d++) {
                x[i * dim + d] = centres[labels[i]][d] + (float) rnd.nextGaussian() * 0.3f;
            }
        }
        return FeatureMatrix.of(x, dim);
    }

    @Test
    void sameSeedSameMapAndClassesSeparate() throws Exception {
        int n = 300;
        int[] labels = new int[n];
        FeatureMatrix f = clusters(n, 32, 3, labels, 4);
        int[] rows = OnlineMonitor.spread(n, 250);
        long t0 = System.nanoTime();
        EmbeddingMap.Points a = EmbeddingMap.umap(f, rows, labels, 7);
        double seconds = (System.nanoTime() - t0) / 1e9;
        EmbeddingMap.Points b = EmbeddingMap.umap(f, rows, labels, 7);
        assertArrayEquals(a.x(), b.x());
        assertArrayEquals(a.y(), b.y());
        assertEquals(250, a.x().length);
        // 1-nearest-neighbour accuracy in the 2-D map: separable clusters stay separate
        int hits = 0;
        for (int i = 0; i < a.x().length; i++) {
            double best = Double.MAX_VALUE;
            int bestJ = -1;
            for (int j = 0; j < a.x().length; j++) {
                double dx = a.x()[i] - a.x()[j];
                double dy = a.y()[i] - a.y()[j];
                double d = dx * dx + dy * dy;
                if (j != i && d < best) {
                    best = d;
                    bestJ = j;
                }
            }
            hits += a.labels()[i] == a.labels()[bestJ] ? 1 : 0;
        }
        assertTrue(hits >= 0.95 * a.x().length, "1-NN agreement in the map: " + hits + " of " + a.x().length);
        assertTrue(seconds < 60, "UMAP of 250 points took " + seconds + " s");

        Path file = dir.resolve(EmbeddingMap.FILE);
        EmbeddingMap.write(file, a, List.of("a", "b", "c"), 7, 4, 100);
        JsonNode json = new ObjectMapper().readTree(file.toFile());
        assertEquals("umap", json.get("method").asText());
        assertEquals(250, json.get("x").size());
        assertEquals(a.labels()[3], json.get("label").get(3).asInt());
        assertEquals(100, json.get("step").asLong());
    }
}
