package org.selfsup.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.selfsup.util.MetricKeys;
import org.selfsup.util.UserException;

/**
 * What a report needs from one run directory: its name, its metrics, and its effective
 * configuration ({@code config.yaml}, optional) both as text and as key/value pairs.
 *
 * @param name       run name (the directory's name)
 * @param dir        the run directory
 * @param metrics    parsed {@code metrics.jsonl}
 * @param configText {@code config.yaml} as written, or empty
 * @param config     top-level keys of {@code config.yaml} (empty if absent or unreadable)
 */
public record RunInfo(String name, Path dir, Metrics metrics, String configText, Map<String, Object> config) {
    /** Name of the metrics file inside a run directory. */
    public static final String METRICS = "metrics.jsonl";
    /** Name of the effective configuration inside a run directory. */
    public static final String CONFIG = "config.yaml";

    /**
     * Loads a run directory.
     *
     * @throws UserException if the directory or its metrics file is missing or malformed
     */
    public static RunInfo load(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new UserException(dir + ": not a run directory");
        }
        Metrics metrics = Metrics.read(dir.resolve(METRICS));
        String text = "";
        Map<String, Object> config = new LinkedHashMap<>();
        Path cfg = dir.resolve(CONFIG);
        if (Files.isRegularFile(cfg)) {
            try {
                text = Files.readString(cfg);
                Object parsed = new ObjectMapper(new YAMLFactory()).readValue(text, Object.class);
                if (parsed instanceof Map<?, ?> map) {
                    map.forEach((k, v) -> config.put(String.valueOf(k), v));
                }
            } catch (IOException e) {
                // the report still renders; the raw text (if any) is shown as is
            }
        }
        Path abs = dir.toAbsolutePath().normalize();
        String name = abs.getFileName() == null ? abs.toString() : abs.getFileName().toString();
        return new RunInfo(name, dir, metrics, text, config);
    }

    /** Final kNN top-1: the summary's {@code knn_top1}, else the last evaluation's. */
    public Double finalKnnTop1() {
        Object s = metrics.summary().get(MetricKeys.KNN_TOP1);
        return s instanceof Double d ? d : Metrics.last(metrics.evals(), MetricKeys.KNN_TOP1);
    }

    /** Total training seconds over the logged epochs, or null. */
    public Double trainingSeconds() {
        if (metrics.epochs().isEmpty()) {
            return null;
        }
        return metrics.epochs().stream().mapToDouble(e -> e.getOrDefault("seconds", 0.0)).sum();
    }

    /** The headline numbers of the run, as label/value pairs (for report and comparison tables). */
    public List<String[]> headline() {
        List<String[]> rows = new ArrayList<>();
        for (String key : List.of("method", "heavy", "dataset", "arch", "plan", "epochs", "batch-size", "lr", "seed")) {
            if (config.containsKey(key)) {
                rows.add(new String[] {key, String.valueOf(config.get(key))});
            }
        }
        rows.add(new String[] {"final kNN top-1 (%)", Html.num(MetricKeys.KNN_TOP1, finalKnnTop1())});
        rows.add(new String[] {"final loss", Html.num(Metrics.last(metrics.steps(), MetricKeys.LOSS))});
        rows.add(new String[] {"last step", Html.num(Metrics.last(metrics.steps(), "step"))});
        rows.add(new String[] {"epochs logged", String.valueOf(metrics.epochs().size())});
        boolean resumed = metrics.epochs().stream().anyMatch(e -> e.containsKey("resumed_at_batch"));
        rows.add(new String[] {resumed ? "training time (s; epochs resumed mid-way count only their part after the"
                + " resume)" : "training time (s)", Html.num(trainingSeconds())});
        return rows;
    }
}
