package org.selfsup.report;

import java.util.List;
import java.util.Locale;

/** Small helpers for the self-contained HTML pages. */
final class Html {
    private Html() {}

    static final String STYLE = "<style>body{font-family:sans-serif;max-width:1000px;margin:2em auto;color:#222}"
            + "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 10px;"
            + "text-align:left}th{background:#f0f0f0}img{max-width:100%;border:1px solid #eee}"
            + "pre{background:#f7f7f7;padding:1em;overflow:auto}.caption{color:#555;font-size:90%}</style>";

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** A number for humans: integers as is, others with 4 significant digits. */
    static String num(Object v) {
        if (v == null) {
            return "-";
        }
        if (v instanceof Double d) {
            if (d == Math.rint(d) && Math.abs(d) < 1e15) {
                return String.format(Locale.ROOT, "%d", d.longValue());
            }
            if (Math.abs(d) >= 100) {
                return String.format(Locale.ROOT, "%.2f", d);
            }
            return String.format(Locale.ROOT, "%.4g", d);
        }
        return v.toString();
    }

    /** {@link #num(Object)}, but accuracies ({@code knn_*}, {@code *top1}, {@code *top5}) always with 2 decimals. */
    static String num(String key, Object v) {
        if (v instanceof Double d && (key.startsWith("knn") || key.endsWith("top1") || key.endsWith("top5"))) {
            return String.format(Locale.ROOT, "%.2f", d);
        }
        return num(v);
    }

    static String table(List<String> header, List<List<String>> rows) {
        StringBuilder b = new StringBuilder("<table>\n<tr>");
        for (String h : header) {
            b.append("<th>").append(escape(h)).append("</th>");
        }
        b.append("</tr>\n");
        for (List<String> row : rows) {
            b.append("<tr>");
            for (String c : row) {
                b.append("<td>").append(escape(c)).append("</td>");
            }
            b.append("</tr>\n");
        }
        return b.append("</table>\n").toString();
    }
}
