package org.selfsup.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.selfsup.util.AtomicFiles;

/**
 * The embedding map of a run ({@code embedding-map.json}, written after the final epoch): a scatter plot of
 * the UMAP of test-set embeddings, one colour per class; for several runs ({@code report compare}) the maps
 * side by side.
 */
final class EmbeddingMapChart {
    /** The map's file in a run folder (written by {@code org.selfsup.eval.EmbeddingMap}). */
    static final String FILE = "embedding-map.json";

    private EmbeddingMapChart() {}

    /** A run's map: its points by class. */
    record Map2d(String run, List<String> classes, double[][] xs, double[][] ys, int images, long step) {}

    /** The map of {@code run}, or null when it has none (or it is unreadable). */
    static Map2d read(RunInfo run) {
        Path file = run.dir().resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            JsonNode root = new ObjectMapper().readTree(file.toFile());
            List<String> classes = new ArrayList<>();
            root.path("classes").forEach(c -> classes.add(c.asText()));
            JsonNode x = root.path("x");
            JsonNode y = root.path("y");
            JsonNode l = root.path("label");
            int n = x.size();
            int k = Math.max(classes.size(), 1);
            List<List<double[]>> byClass = new ArrayList<>();
            for (int c = 0; c < k; c++) {
                byClass.add(new ArrayList<>());
            }
            for (int i = 0; i < n; i++) {
                int c = Math.min(Math.max(l.path(i).asInt(0), 0), k - 1);
                byClass.get(c).add(new double[] {x.path(i).asDouble(), y.path(i).asDouble()});
            }
            double[][] xs = new double[k][];
            double[][] ys = new double[k][];
            for (int c = 0; c < k; c++) {
                xs[c] = byClass.get(c).stream().mapToDouble(p -> p[0]).toArray();
                ys[c] = byClass.get(c).stream().mapToDouble(p -> p[1]).toArray();
            }
            return new Map2d(run.name(), classes, xs, ys, n, root.path("step").asLong());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The scatter chart of one map. */
    static XYChart chart(Map2d m, int width, int height) {
        XYChart chart = new XYChartBuilder().width(width).height(height)
                .title(m.run() + ": UMAP of " + m.images() + " test embeddings (step " + m.step() + ")").build();
        chart.getStyler().setDefaultSeriesRenderStyle(org.knowm.xchart.XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setMarkerSize(4);
        chart.getStyler().setAxisTicksVisible(false);
        for (int c = 0; c < m.xs().length; c++) {
            if (m.xs()[c].length == 0) {
                continue;
            }
            String name = c < m.classes().size() ? m.classes().get(c) : "class " + c;
            XYSeries s = chart.addSeries(c + " " + name, m.xs()[c], m.ys()[c]);
            s.setMarker(SeriesMarkers.CIRCLE);
        }
        return chart;
    }

    /**
     * Writes the map of each run that has one into {@code chartsDir} and returns the page section (empty when
     * none has a map): one map for a run's report, the maps side by side for a comparison.
     *
     * @param rel the charts folder as the page links it
     */
    static String section(List<RunInfo> runs, Path chartsDir, String rel) throws IOException {
        List<Map2d> maps = new ArrayList<>();
        for (RunInfo r : runs) {
            Map2d m = read(r);
            if (m != null) {
                maps.add(m);
            }
        }
        if (maps.isEmpty()) {
            return "";
        }
        boolean single = runs.size() == 1;
        StringBuilder b = new StringBuilder("<h3>Embedding map</h3>\n<div style=\"display:flex;flex-wrap:wrap;gap:8px\">\n");
        for (int i = 0; i < maps.size(); i++) {
            String file = single ? "embedding_map.png" : "embedding_map_" + (i + 1) + ".png";
            XYChart chart = chart(maps.get(i), single ? Charts.WIDTH : 490, single ? 560 : 420);
            AtomicFiles.write(chartsDir.resolve(file), BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
            b.append("<img src=\"").append(rel).append('/').append(file).append("\" alt=\"embedding map of ")
                    .append(Html.escape(maps.get(i).run())).append("\"").append(single ? "" : " style=\"width:49%\"")
                    .append(">\n");
        }
        b.append("</div>\n<p class=\"caption\">UMAP (umap-java, seeded with the run seed: the same checkpoint gives "
                + "the same map) of the L2-normalised backbone features of up to 2000 test images, spread evenly "
                + "over the split, after the final epoch; one colour per class. Classes that form separate "
                + "islands are what a linear probe can separate; one blob is a collapsed or untrained encoder. "
                + "Distances between islands carry little meaning in UMAP.</p>\n");
        return b.toString();
    }
}
