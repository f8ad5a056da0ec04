package org.selfsup.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.knowm.xchart.XYChart;
import org.selfsup.util.AtomicFiles;

/**
 * Writes a run's report: {@code charts/*.png} and {@code report.html} (self-contained apart from
 * the relative links to those PNGs), both written atomically.
 */
public final class RunReport {
    /** Name of the HTML page inside a run directory. */
    public static final String HTML = "report.html";
    /** Folder of the chart PNGs inside a run directory. */
    public static final String CHARTS = "charts";

    private RunReport() {}

    /**
     * (Re)builds the report of {@code runDir} from its {@code metrics.jsonl} and {@code config.yaml}.
     *
     * @param warn receives one line if damaged lines of {@code metrics.jsonl} were skipped
     * @return the path of {@code report.html}
     * @throws org.selfsup.util.UserException if the metrics file is missing or malformed
     */
    public static Path render(Path runDir, Consumer<String> warn) {
        RunInfo run = RunInfo.load(runDir);
        if (run.metrics().damage() != null) {
            warn.accept(run.metrics().damage());
        }
        try {
            String charts = charts(run, ChartSpec.RUN_CHARTS);
            String health = charts(run, RunHealth.charts(run.metrics()));
            String map = EmbeddingMapChart.section(List.of(run), runDir.resolve(CHARTS), CHARTS);
            Path html = runDir.resolve(HTML);
            AtomicFiles.writeString(html, page(run, health, charts + map));
            return html;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report of " + runDir, e);
        }
    }

    /** Writes the charts of {@code specs} that have data; their HTML (title, image, caption). */
    private static String charts(RunInfo run, List<ChartSpec> specs) throws IOException {
        StringBuilder charts = new StringBuilder();
        for (ChartSpec spec : specs) {
            List<Metrics.Series> series = spec.seriesOf().apply(run.metrics());
            if (!Charts.hasData(series)) {
                continue;
            }
            XYChart chart = Charts.lineChart(spec.title(), spec.xLabel(), spec.yLabel(), series);
            Charts.writePng(chart, run.dir().resolve(CHARTS).resolve(spec.file()));
            charts.append("<h3>").append(Html.escape(spec.title())).append("</h3>\n<img src=\"")
                    .append(CHARTS).append('/').append(spec.file()).append("\" alt=\"")
                    .append(Html.escape(spec.title())).append("\">\n<p class=\"caption\">")
                    .append(Html.escape(spec.caption())).append("</p>\n");
        }
        return charts.toString();
    }

    private static String page(RunInfo run, String health, String charts) {
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>selfsup run ")
                .append(Html.escape(run.name())).append("</title>").append(Html.STYLE).append("</head><body>\n");
        b.append("<h1>selfsup run ").append(Html.escape(run.name())).append("</h1>\n");
        List<List<String>> rows = new ArrayList<>();
        for (String[] r : run.headline()) {
            rows.add(List.of(r[0], r[1]));
        }
        b.append("<h2>Summary</h2>\n").append(Html.table(List.of("", run.name()), rows));
        if (!run.metrics().summary().isEmpty()) {
            List<List<String>> s = new ArrayList<>();
            for (Map.Entry<String, Object> e : run.metrics().summary().entrySet()) {
                s.add(List.of(e.getKey(), Html.num(e.getKey(), e.getValue())));
            }
            b.append("<h2>Final values</h2>\n").append(Html.table(List.of("field", "value"), s));
        }
        if (!run.metrics().evals().isEmpty()) {
            List<String> keys = new ArrayList<>(run.metrics().evals().get(0).keySet());
            for (Map<String, Double> e : run.metrics().evals()) {
                e.keySet().stream().filter(k -> !keys.contains(k)).forEach(keys::add);
            }
            List<List<String>> s = new ArrayList<>();
            for (Map<String, Double> e : run.metrics().evals()) {
                s.add(keys.stream().map(k -> Html.num(k, e.get(k))).toList());
            }
            List<String> header = keys.stream().map(k -> k.equals("epoch") ? "epoch (0-based)" : k).toList();
            b.append("<h2>Evaluations</h2>\n").append(Html.table(header, s));
        }
        List<List<String>> h = new ArrayList<>();
        for (String[] r : RunHealth.rows(run)) {
            h.add(List.of(r[0], r[1]));
        }
        b.append("<h2>Run health</h2>\n").append(Html.table(List.of("", "rendered " + java.time.Instant.now()
                .truncatedTo(java.time.temporal.ChronoUnit.SECONDS)), h)).append(health);
        b.append("<h2>Charts</h2>\n");
        b.append(charts.isEmpty() ? "<p>No step or evaluation records with chartable values.</p>\n" : charts);
        if (!run.configText().isEmpty()) {
            b.append("<h2>Configuration (config.yaml)</h2>\n<pre>").append(Html.escape(run.configText()))
                    .append("</pre>\n");
        }
        b.append("</body></html>\n");
        return b.toString();
    }
}
