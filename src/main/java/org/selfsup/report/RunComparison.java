package org.selfsup.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.knowm.xchart.XYChart;
import org.selfsup.util.AtomicFiles;
import org.selfsup.util.MetricKeys;
import org.selfsup.util.UserException;

/**
 * Compares runs: overlays their kNN curves, total loss and semantic-shift diagnostics in one chart
 * each, and writes one table as Markdown, CSV and HTML ({@code compare.md}, {@code compare.csv},
 * {@code compare.html} and {@code charts/*.png} under the output directory).
 */
public final class RunComparison {
    /** The overlaid charts: kNN accuracy, total loss, semantic shift, online probe, RankMe. */
    static final List<ChartSpec> CHARTS = List.of(
            // top-1 only: with several runs the top-5 curves would double the lines
            new ChartSpec(ChartSpec.KNN.file(), "kNN top-1 accuracy (k=200, t=0.1)", ChartSpec.KNN.xLabel(),
                    ChartSpec.KNN.yLabel(), ChartSpec.KNN.caption(),
                    m -> ChartSpec.KNN.seriesOf().apply(m).stream().filter(s -> !s.name().startsWith("knn_top5"))
                            .toList()),
            new ChartSpec("loss.png", "Total loss", "step", "loss", "The total loss of each run over steps.",
                    m -> List.of(Metrics.series("loss", m.steps(), "step", "loss"))),
            ChartSpec.SHIFT,
            new ChartSpec("online_probe.png", "Online linear probe, test top-1", "step", "top-1 accuracy (%)",
                    ChartSpec.ONLINE_PROBE.caption(),
                    m -> List.of(Metrics.series("online_probe_top1", m.evals(), "step", "online_probe_top1"))),
            ChartSpec.RANKME);

    private RunComparison() {}

    /**
     * Writes the comparison of {@code runDirs} into {@code outDir}.
     *
     * @param warn receives one line per run whose {@code metrics.jsonl} had damaged lines (skipped)
     * @return the path of {@code compare.html}
     * @throws UserException if no run is given or a run's metrics are missing or malformed
     */
    public static Path compare(List<Path> runDirs, Path outDir, Consumer<String> warn) {
        if (runDirs.isEmpty()) {
            throw new UserException("report compare: give at least one run directory");
        }
        List<RunInfo> runs = new ArrayList<>();
        for (Path p : runDirs) {
            RunInfo run = RunInfo.load(p);
            if (run.metrics().damage() != null) {
                warn.accept(run.metrics().damage());
            }
            runs.add(run);
        }
        List<String> header = header(runs);
        List<List<String>> rows = new ArrayList<>();
        for (RunInfo r : runs) {
            rows.add(row(r, header));
        }
        try {
            StringBuilder charts = new StringBuilder();
            for (ChartSpec spec : CHARTS) {
                List<Metrics.Series> all = new ArrayList<>();
                for (RunInfo r : runs) {
                    for (Metrics.Series s : spec.seriesOf().apply(r.metrics())) {
                        all.add(new Metrics.Series(r.name() + ": " + s.name(), s.x(), s.y()));
                    }
                }
                if (!Charts.hasData(all)) {
                    continue;
                }
                XYChart chart = Charts.lineChart(spec.title(), spec.xLabel(), spec.yLabel(), all);
                Charts.writePng(chart, outDir.resolve(RunReport.CHARTS).resolve(spec.file()));
                charts.append("<h3>").append(Html.escape(spec.title())).append("</h3>\n<img src=\"")
                        .append(RunReport.CHARTS).append('/').append(spec.file()).append("\">\n<p class=\"caption\">")
                        .append(Html.escape(spec.caption())).append("</p>\n");
            }
            charts.append(EmbeddingMapChart.section(runs, outDir.resolve(RunReport.CHARTS), RunReport.CHARTS));
            AtomicFiles.writeString(outDir.resolve("compare.csv"), csv(header, rows));
            AtomicFiles.writeString(outDir.resolve("compare.md"), markdown(header, rows));
            Path html = outDir.resolve("compare.html");
            AtomicFiles.writeString(html, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>selfsup "
                    + "comparison</title>" + Html.STYLE + "</head><body>\n<h1>selfsup comparison of "
                    + runs.size() + " runs</h1>\n" + Html.table(header, rows) + "<h2>Charts</h2>\n" + charts
                    + "</body></html>\n");
            return html;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the comparison to " + outDir, e);
        }
    }

    private static List<String> header(List<RunInfo> runs) {
        Set<String> cols = new LinkedHashSet<>();
        cols.add("run");
        for (RunInfo r : runs) {
            for (String[] h : r.headline()) {
                cols.add(h[0]);
            }
        }
        for (RunInfo r : runs) {
            r.metrics().summary().forEach((k, v) -> {
                if (v instanceof Double && !k.equals(MetricKeys.KNN_TOP1)) {
                    cols.add(k);
                }
            });
        }
        return new ArrayList<>(cols);
    }

    private static List<String> row(RunInfo r, List<String> header) {
        List<String> out = new ArrayList<>();
        for (String col : header) {
            String v = "-";
            if (col.equals("run")) {
                v = r.name();
            } else {
                for (String[] h : r.headline()) {
                    if (h[0].equals(col)) {
                        v = h[1];
                    }
                }
                Object s = r.metrics().summary().get(col);
                if (s != null) {
                    v = Html.num(col, s);
                }
            }
            out.add(v);
        }
        return out;
    }

    static String csv(List<String> header, List<List<String>> rows) {
        StringBuilder b = new StringBuilder(csvLine(header));
        for (List<String> r : rows) {
            b.append(csvLine(r));
        }
        return b.toString();
    }

    private static String csvLine(List<String> cells) {
        List<String> quoted = new ArrayList<>();
        for (String c : cells) {
            quoted.add(c.contains(",") || c.contains("\"") || c.contains("\n")
                    ? "\"" + c.replace("\"", "\"\"") + "\"" : c);
        }
        return String.join(",", quoted) + "\n";
    }

    static String markdown(List<String> header, List<List<String>> rows) {
        StringBuilder b = new StringBuilder("| ").append(String.join(" | ", header)).append(" |\n|");
        b.append(" --- |".repeat(header.size())).append('\n');
        for (List<String> r : rows) {
            b.append("| ").append(String.join(" | ", r.stream().map(c -> c.replace("|", "\\|")).toList()))
                    .append(" |\n");
        }
        return b.toString();
    }
}
