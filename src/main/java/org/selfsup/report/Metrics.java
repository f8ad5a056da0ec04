package org.selfsup.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.selfsup.util.JsonLines;
import org.selfsup.util.UserException;

/**
 * The records of a run's {@code metrics.jsonl} (contract schema): {@code step}, {@code eval},
 * {@code epoch} and {@code summary} lines. Numeric fields of each record are kept by name; the
 * summary also keeps text fields.
 */
public final class Metrics {

    private final List<Map<String, Double>> steps;
    private final List<Map<String, Double>> evals;
    private final List<Map<String, Double>> epochs;
    private final Map<String, Object> summary;
    private final String damage;

    /** Metrics from already parsed records (used by tests). */
    public Metrics(List<Map<String, Double>> steps, List<Map<String, Double>> evals,
                   List<Map<String, Double>> epochs, Map<String, Object> summary) {
        this(steps, evals, epochs, summary, null);
    }

    private Metrics(List<Map<String, Double>> steps, List<Map<String, Double>> evals,
                    List<Map<String, Double>> epochs, Map<String, Object> summary, String damage) {
        this.damage = damage;
        this.steps = List.copyOf(steps);
        this.evals = List.copyOf(evals);
        this.epochs = List.copyOf(epochs);
        this.summary = Collections.unmodifiableMap(new LinkedHashMap<>(summary));
    }

    /**
     * Parses a metrics file, read as bytes line by line. Lines of unknown type are ignored (forward
     * compatibility); blank lines are skipped, and so is an unfinished last line (no newline: cut by a kill,
     * or being written). Damaged lines (not UTF-8, not a JSON object with a {@code type}) are skipped too and
     * described by {@link #damage()}, so one bad byte does not make a run's report impossible.
     *
     * @throws UserException if the file is missing, unreadable, or holds no record
     */
    public static Metrics read(Path file) {
        List<Map<String, Double>> steps = new ArrayList<>();
        List<Map<String, Double>> evals = new ArrayList<>();
        List<Map<String, Double>> epochs = new ArrayList<>();
        Map<String, Object> summary = new LinkedHashMap<>();
        JsonLines.Read read;
        try {
            read = JsonLines.read(file);
        } catch (NoSuchFileException e) {
            throw new UserException(file + ": metrics file not found");
        } catch (IOException e) {
            throw new UserException(file + ": cannot read metrics file: " + e.getMessage());
        }
        List<JsonLines.Damaged> damaged = new ArrayList<>(read.damaged());
        int records = 0;
        for (JsonLines.Line line : read.lines()) {
            JsonNode node = line.node();
            if (!node.path("type").isTextual()) {
                damaged.add(new JsonLines.Damaged(line.number(), "a JSON object without a \"type\" field"));
                continue;
            }
            records++;
            switch (node.get("type").asText()) {
                case "step" -> steps.add(numbers(node));
                case "eval" -> evals.add(numbers(node));
                case "epoch" -> epochs.add(numbers(node));
                case "summary" -> summary.putAll(values(node));
                default -> { }
            }
        }
        if (records == 0) {
            throw new UserException(file + ": metrics file holds no records");
        }
        damaged.sort(java.util.Comparator.comparingInt(JsonLines.Damaged::number));
        String damage = JsonLines.describe(damaged);
        return new Metrics(steps, evals, epochs, summary,
                damage == null ? null : "warning: " + file + ": skipped " + damage);
    }

    private static Map<String, Double> numbers(JsonNode node) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isNumber()) {
                out.put(e.getKey(), e.getValue().asDouble());
            }
        }
        return out;
    }

    private static Map<String, Object> values(JsonNode node) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("type")) {
                continue;
            }
            JsonNode v = e.getValue();
            out.put(e.getKey(), v.isNumber() ? (Object) v.asDouble() : v.isValueNode() ? v.asText() : v.toString());
        }
        return out;
    }

    public List<Map<String, Double>> steps() { return steps; }
    public List<Map<String, Double>> evals() { return evals; }
    public List<Map<String, Double>> epochs() { return epochs; }
    public Map<String, Object> summary() { return summary; }

    /** One warning line saying which damaged lines of the file were skipped, or null when there were none. */
    public String damage() { return damage; }

    /** Field names starting with {@code prefix} that occur in any of {@code records}, in first-seen order. */
    public static List<String> keysWithPrefix(List<Map<String, Double>> records, String prefix) {
        Set<String> keys = new LinkedHashSet<>();
        for (Map<String, Double> r : records) {
            for (String k : r.keySet()) {
                if (k.startsWith(prefix)) {
                    keys.add(k);
                }
            }
        }
        return new ArrayList<>(keys);
    }

    /** The (x, y) pairs of the records holding both fields, in file order. */
    public static Series series(String name, List<Map<String, Double>> records, String xKey, String yKey) {
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (Map<String, Double> r : records) {
            Double x = r.get(xKey);
            Double y = r.get(yKey);
            if (x != null && y != null && Double.isFinite(y)) {
                xs.add(x);
                ys.add(y);
            }
        }
        return new Series(name, xs.stream().mapToDouble(Double::doubleValue).toArray(),
                ys.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** The last value of {@code key} among {@code records}, or null. */
    public static Double last(List<Map<String, Double>> records, String key) {
        for (int i = records.size() - 1; i >= 0; i--) {
            Double v = records.get(i).get(key);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    /** A named line of points. */
    public record Series(String name, double[] x, double[] y) {
        public boolean isEmpty() {
            return x.length == 0;
        }
    }
}
