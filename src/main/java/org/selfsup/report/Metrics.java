package org.selfsup.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
import org.selfsup.util.UserException;

/**
 * The records of a run's {@code metrics.jsonl} (contract schema): {@code step}, {@code eval},
 * {@code epoch} and {@code summary} lines. Numeric fields of each record are kept by name; the
 * summary also keeps text fields.
 */
public final class Metrics {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Map<String, Double>> steps;
    private final List<Map<String, Double>> evals;
    private final List<Map<String, Double>> epochs;
    private final Map<String, Object> summary;

    /** Metrics from already parsed records (used by tests and by {@link #read}). */
    public Metrics(List<Map<String, Double>> steps, List<Map<String, Double>> evals,
                   List<Map<String, Double>> epochs, Map<String, Object> summary) {
        this.steps = List.copyOf(steps);
        this.evals = List.copyOf(evals);
        this.epochs = List.copyOf(epochs);
        this.summary = Collections.unmodifiableMap(new LinkedHashMap<>(summary));
    }

    /**
     * Parses a metrics file. Lines of unknown type are ignored (forward compatibility); blank lines
     * are skipped, and so is an unfinished last line (no newline: cut by a kill, or being written).
     *
     * @throws UserException if the file is missing, unreadable, not JSON lines, or holds no record
     */
    public static Metrics read(Path file) {
        List<Map<String, Double>> steps = new ArrayList<>();
        List<Map<String, Double>> evals = new ArrayList<>();
        List<Map<String, Double>> epochs = new ArrayList<>();
        Map<String, Object> summary = new LinkedHashMap<>();
        int records = 0;
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            String[] lines = text.split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i];
                int lineNo = i + 1;
                if (line.isBlank()) {
                    continue;
                }
                // the last line without its newline was being written when the run was killed (or is
                // being written now): not an error, just not there yet
                boolean unfinished = i == lines.length - 1;
                JsonNode node;
                try {
                    node = JSON.readTree(line);
                } catch (JsonProcessingException e) {
                    if (unfinished) {
                        break;
                    }
                    throw new UserException(file + ":" + lineNo + ": not a JSON object: "
                            + e.getOriginalMessage());
                }
                if (node == null || !node.isObject() || !node.path("type").isTextual()) {
                    if (unfinished) {
                        break;
                    }
                    throw new UserException(file + ":" + lineNo + ": expected a JSON object with a \"type\" field");
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
        } catch (NoSuchFileException e) {
            throw new UserException(file + ": metrics file not found");
        } catch (IOException e) {
            throw new UserException(file + ": cannot read metrics file: " + e.getMessage());
        }
        if (records == 0) {
            throw new UserException(file + ": metrics file holds no records");
        }
        return new Metrics(steps, evals, epochs, summary);
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
