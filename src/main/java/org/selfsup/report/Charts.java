package org.selfsup.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.selfsup.util.AtomicFiles;

/** Line charts of metric series, rendered to PNG with XChart (headless). */
public final class Charts {
    /** Width of every chart in pixels. */
    public static final int WIDTH = 800;
    /** Height of every chart in pixels. */
    public static final int HEIGHT = 420;

    static {
        // charts are rendered on servers without a display
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {}

    /**
     * A line chart of the non-empty series; markers are drawn when a series has few points (e.g. kNN
     * once per epoch) so single evaluations stay visible.
     */
    public static XYChart lineChart(String title, String xLabel, String yLabel, List<Metrics.Series> series) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setMarkerSize(6);
        chart.getStyler().setXAxisDecimalPattern("#,##0.##");
        Set<String> used = new HashSet<>();
        for (Metrics.Series s : series) {
            if (s.isEmpty()) {
                continue;
            }
            // XChart rejects repeated names (e.g. two runs with the same directory name)
            String name = s.name();
            for (int n = 2; !used.add(name); n++) {
                name = s.name() + " (" + n + ")";
            }
            XYSeries xy = chart.addSeries(name, s.x(), s.y());
            xy.setMarker(s.x().length <= 60 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        }
        return chart;
    }

    /** Whether any series has a point. */
    public static boolean hasData(List<Metrics.Series> series) {
        return series.stream().anyMatch(s -> !s.isEmpty());
    }

    /** Renders {@code chart} as PNG to {@code file}, atomically. */
    public static void writePng(XYChart chart, Path file) throws IOException {
        AtomicFiles.write(file, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
    }
}
