package org.selfsup.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.selfsup.eval.ShiftAnalysis;
import org.selfsup.util.AtomicFiles;

/**
 * Writes a {@link ShiftAnalysis.Result} to a directory: {@code shift.json} (settings and rows),
 * {@code shift.csv} (the rows) and {@code index.html} (a table with a bar per row, ranked by shift).
 */
public final class ShiftReport {
    private ShiftReport() {}

    /** Files written under the output directory. */
    public static final List<String> FILES = List.of("shift.json", "shift.csv", "index.html");

    /**
     * @param settings what was analysed (encoder, data set, images, seed...), shown as given
     */
    public static void write(Path dir, ShiftAnalysis.Result result, Map<String, Object> settings) throws IOException {
        Files.createDirectories(dir);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("settings", settings);
        json.put("images", result.images());
        json.put("bank", result.bank());
        json.put("clean_knn_top1", result.cleanTop1());
        json.put("rows", result.rows());
        AtomicFiles.writeString(dir.resolve("shift.json"), new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json) + "\n");
        AtomicFiles.writeString(dir.resolve("shift.csv"), csv(result));
        AtomicFiles.writeString(dir.resolve("index.html"), html(result, settings));
    }

    static String csv(ShiftAnalysis.Result r) {
        StringBuilder b = new StringBuilder("rank,family,op,parameter,strength,shift,shift_std,knn_top1,knn_drop\n");
        int rank = 1;
        for (ShiftAnalysis.Row row : r.rows()) {
            b.append(String.format(Locale.ROOT, "%d,%s,%s,\"%s\",%.6f,%.8f,%.8f,%.4f,%.4f%n", rank++, row.family(),
                    row.op(), row.parameter().replace("\"", "\"\""), row.strength(), row.shift(), row.shiftStd(),
                    row.knnTop1(), row.knnDrop()));
        }
        return b.toString();
    }

    static String html(ShiftAnalysis.Result r, Map<String, Object> settings) {
        double max = r.rows().stream().mapToDouble(ShiftAnalysis.Row::shift).max().orElse(0);
        StringBuilder b = new StringBuilder("<!doctype html>\n<html><head><meta charset=\"utf-8\">"
                + "<title>Semantic shift of augmentations</title>" + Html.STYLE
                + "<style>.bar{background:#4a7bd0;height:12px}.barbox{width:300px}</style></head><body>\n"
                + "<h1>Semantic shift of augmentations</h1>\n");
        b.append("<p class=\"caption\">Shift = mean over the test images of 1 - cos(f(augmented), f(original)) "
                + "of the frozen backbone's features; kNN top-1 of the augmented test images against the "
                + "unaugmented train split as bank. ").append(r.images()).append(" test images, bank ")
                .append(r.bank()).append(", clean kNN top-1 ")
                .append(String.format(Locale.ROOT, "%.2f%%", r.cleanTop1())).append(".</p>\n");
        List<List<String>> srows = new ArrayList<>();
        settings.forEach((k, v) -> srows.add(List.of(k, String.valueOf(v))));
        b.append(Html.table(List.of("setting", "value"), srows));
        b.append("<table>\n<tr><th>rank</th><th>family</th><th>op</th><th>parameter</th><th>shift</th>"
                + "<th class=\"barbox\">shift (bar)</th><th>kNN top-1</th><th>drop</th></tr>\n");
        int rank = 1;
        for (ShiftAnalysis.Row row : r.rows()) {
            double w = max > 0 ? 300 * row.shift() / max : 0;
            b.append(String.format(Locale.ROOT, "<tr><td>%d</td><td>%s</td><td>%s</td><td>%s</td><td>%.4f</td>"
                            + "<td class=\"barbox\"><div class=\"bar\" style=\"width:%.1fpx\"></div></td>"
                            + "<td>%.2f</td><td>%.2f</td></tr>%n", rank++, Html.escape(row.family()),
                    Html.escape(row.op()), Html.escape(row.parameter()), row.shift(), w, row.knnTop1(), row.knnDrop()));
        }
        return b.append("</table>\n</body></html>\n").toString();
    }
}
