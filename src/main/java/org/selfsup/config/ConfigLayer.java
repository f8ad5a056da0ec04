package org.selfsup.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.selfsup.util.Names;
import org.selfsup.util.UserException;

/**
 * One layer of configuration values (a preset, a config file or the command-line flags) with where it
 * came from, so that every error can name the flag or the file and key.
 *
 * <p>Values are kept raw (command-line text or YAML/JSON nodes) and converted to the key's type when
 * the layer is applied.
 */
public final class ConfigLayer {
    /** Where a layer came from. */
    public enum Kind { PRESET, FILE, FLAGS }

    private final Kind kind;
    private final String source;
    private final Map<String, Object> values;
    /** Whether the values were parsed from YAML (where a plain 5e-4 is text, so numeric text is read as a number). */
    private final boolean yaml;

    private ConfigLayer(Kind kind, String source, Map<String, Object> values) {
        this(kind, source, values, false);
    }

    private ConfigLayer(Kind kind, String source, Map<String, Object> values, boolean yaml) {
        this.kind = kind;
        this.source = source;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        this.yaml = yaml;
    }

    /** A layer without values. */
    public static ConfigLayer empty(String source) {
        return new ConfigLayer(Kind.FLAGS, source, Map.of());
    }

    /**
     * Command-line flag values, by key (without the leading dashes), as typed. Unknown keys are a bug in
     * the caller (the flags are generated from the keys).
     */
    public static ConfigLayer fromFlags(Map<String, String> flagValues) {
        for (String k : flagValues.keySet()) {
            if (!ConfigKeys.contains(k)) {
                throw new IllegalArgumentException("not a config key: " + k);
            }
        }
        return new ConfigLayer(Kind.FLAGS, "command line", new LinkedHashMap<>(flagValues));
    }

    /**
     * The keys of a YAML (.yaml/.yml) or JSON (.json) file. Unknown keys are a UserException naming the
     * file and key, with a did-you-mean suggestion.
     */
    public static ConfigLayer fromFile(Path file) {
        JsonNode tree = ConfigIo.readTree(file);
        return fromTree(tree, "config file " + file, ConfigIo.mapperFor(file) == ConfigIo.YAML);
    }

    /**
     * The keys of YAML or JSON text (e.g. a configuration stored in a checkpoint); errors start with
     * {@code origin}, e.g. "checkpoint last.ckpt".
     */
    public static ConfigLayer fromText(String text, boolean yaml, String origin) {
        return fromTree(ConfigIo.readTree(text, yaml ? ConfigIo.YAML : ConfigIo.JSON, origin), origin, yaml);
    }

    private static ConfigLayer fromTree(JsonNode root, String origin, boolean yaml) {
        Map<String, Object> values = new LinkedHashMap<>();
        if (root != null && !root.isMissingNode() && !root.isNull()) {
            if (!root.isObject()) {
                throw new UserException(origin + ": expected a mapping of keys to values");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!ConfigKeys.contains(e.getKey())) {
                    throw new UserException(origin + ": unknown key '" + e.getKey() + "'"
                            + Names.didYouMean(e.getKey(), ConfigKeys.all()));
                }
                values.put(e.getKey(), e.getValue());
            }
        }
        return new ConfigLayer(Kind.FILE, origin, values, yaml);
    }

    /** A preset's values (Java values, checked against the keys). */
    static ConfigLayer ofPreset(String presetName, Map<String, ?> javaValues) {
        return new ConfigLayer(Kind.PRESET, presetName, toNodes(presetName, javaValues));
    }

    /**
     * Values given by a program, by kebab-case key (String, Integer, Long, Double, Boolean or a List of
     * Integer); errors read "{@code origin}: key 'x': ...". Unknown keys are a UserException.
     */
    public static ConfigLayer ofValues(String origin, Map<String, ?> javaValues) {
        return new ConfigLayer(Kind.FILE, origin, toNodes(origin, javaValues));
    }

    private static Map<String, Object> toNodes(String origin, Map<String, ?> javaValues) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : javaValues.entrySet()) {
            if (!ConfigKeys.contains(e.getKey())) {
                throw new UserException(origin + ": unknown key '" + e.getKey() + "'"
                        + Names.didYouMean(e.getKey(), ConfigKeys.all()));
            }
            values.put(e.getKey(), ConfigIo.JSON.valueToTree(e.getValue()));
        }
        return values;
    }

    public Kind kind() {
        return kind;
    }

    /** The keys this layer sets. */
    public Set<String> keys() {
        return values.keySet();
    }

    /** Whether this layer sets {@code key}. */
    public boolean has(String key) {
        return values.containsKey(key);
    }

    /** The raw text of a key, or null when not set (used for keys read before layering, e.g. preset). */
    public String text(String key) {
        Object v = values.get(key);
        if (v == null) {
            return null;
        }
        return v instanceof JsonNode n ? (n.isNull() ? "" : n.asText()) : v.toString();
    }

    /** Where a key of this layer came from: "option --batch-size", "config file x.yaml: key 'batch-size'". */
    public String describe(String key) {
        return switch (kind) {
            case FLAGS -> "option --" + key;
            case FILE -> source + ": key '" + key + "'";
            case PRESET -> "preset " + source + ": key '" + key + "'";
        };
    }

    /** Sets this layer's keys on {@code config}; a value of the wrong type is a UserException naming it. */
    void applyTo(TrainConfig config) {
        for (Map.Entry<String, Object> e : values.entrySet()) {
            String key = e.getKey();
            Class<?> type = ConfigKeys.type(key);
            Object value;
            try {
                value = e.getValue() instanceof JsonNode n
                        ? ConfigValues.fromNode(n, type, yaml)
                        : ConfigValues.fromText((String) e.getValue(), type);
            } catch (IllegalArgumentException ex) {
                throw new UserException(describe(key) + ": " + ex.getMessage());
            }
            ConfigKeys.set(config, key, value);
        }
    }
}
