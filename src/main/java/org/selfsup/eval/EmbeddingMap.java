package org.selfsup.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.selfsup.util.AtomicFiles;
import tagbio.umap.Umap;

/**
 * A 2-D map of test-set embeddings for the report: UMAP (McInnes et al. 2018) of the L2-normalised
 * backbone features of a fixed sample of test images, coloured by class in the report. It uses Tagbio's
 * umap-java (MIT licence; a Java port of umap-learn), single-threaded and seeded with the run seed, so the
 * same features give the same map.
 *
 * <p>Settings: 15 neighbours (fewer for tiny samples), min_dist 0.1, Euclidean distance on L2-normalised
 * features (the order of cosine similarity, as the kNN monitor uses), 2 components, the library's default
 * number of epochs.
 */
public final class EmbeddingMap {
    /** The map's file in the run folder. */
    public static final String FILE = "embedding-map.json";
    /** Test images on the map (at most; spread evenly over the split). */
    public static final int MAX_IMAGES = 2000;

    private EmbeddingMap() {}

    /** Points of the map, one per image, with its class. */
    public record Points(float[] x, float[] y, int[] labels) {}

    /**
     * The UMAP of the rows of {@code features} at {@code rows}, labelled {@code labels[row]}.
     *
     * @throws IllegalArgumentException for fewer than 4 rows
     */
    public static Points umap(FeatureMatrix features, int[] rows, int[] labels, long seed) {
        int n = rows.length;
        if (n < 4) {
            throw new IllegalArgumentException("an embedding map needs at least 4 images, got " + n);
        }
        float[][] data = new float[n][];
        int[] lab = new int[n];
        for (int i = 0; i < n; i++) {
            float[] r = features.row(rows[i]);
            double norm = 0;
            for (float v : r) {
                norm += (double) v * v;
            }
            float inv = (float) (1.0 / Math.max(Math.sqrt(norm), 1e-12));
            data[i] = new float[r.length];
            for (int d = 0; d < r.length; d++) {
                data[i][d] = r[d] * inv;
            }
            lab[i] = labels[rows[i]];
        }
        Umap umap = new Umap();
        umap.setNumberComponents(2);
        umap.setNumberNearestNeighbours(Math.min(15, n - 1));
        umap.setMinDist(0.1f);
        umap.setMetric("euclidean");
        umap.setSeed(seed);
        umap.setThreads(1);
        umap.setVerbose(false);
        float[][] out = umap.fitTransform(data);
        float[] x = new float[n];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = out[i][0];
            y[i] = out[i][1];
        }
        return new Points(x, y, lab);
    }

    /** Writes the map as JSON (atomically): method, seed, step, class names and the points. */
    public static void write(Path file, Points p, List<String> classes, long seed, int epoch, long step)
            throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("method", "umap");
        root.put("library", "umap-java (Tagbio, MIT), tech.molecules:external-umap-java 1.0");
        root.put("features", "backbone, L2-normalised, test split");
        root.put("seed", seed);
        root.put("epoch", epoch);
        root.put("step", step);
        ArrayNode names = root.putArray("classes");
        classes.forEach(names::add);
        ArrayNode xs = root.putArray("x");
        ArrayNode ys = root.putArray("y");
        ArrayNode ls = root.putArray("label");
        for (int i = 0; i < p.x().length; i++) {
            xs.add(p.x()[i]);
            ys.add(p.y()[i]);
            ls.add(p.labels()[i]);
        }
        AtomicFiles.write(file, json.writeValueAsString(root).getBytes(StandardCharsets.UTF_8));
    }
}
