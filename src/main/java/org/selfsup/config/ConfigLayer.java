package org.selfsup.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
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

    private ConfigLayer(Kind kind, String source, Map<String, Object> values) {
        this.kind = kind;
        this.source = source;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
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
        JsonNode root = ConfigIo.readTree(file);
        Map<String, Object> values = new LinkedHashMap<>();
        if (root != null && !root.isMissingNode() && !root.isNull()) {
            if (!root.isObject()) {
                throw new UserException("config file " + file + ": expected a mapping of keys to values");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!ConfigKeys.contains(e.getKey())) {
                    throw new UserException("config file " + file + ": unknown key '" + e.getKey() + "'"
                            + Names.didYouMean(e.getKey(), ConfigKeys.all()));
                }
                values.put(e.getKey(), e.getValue());
            }
        }
        return new ConfigLayer(Kind.FILE, file.toString(), values);
    }

    /** A preset's values (Java values, checked against the keys). */
    static ConfigLayer ofPreset(String presetName, Map<String, Object> javaValues) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : javaValues.entrySet()) {
            if (!ConfigKeys.contains(e.getKey())) {
                throw new IllegalArgumentException("preset " + presetName + ": not a config key: " + e.getKey());
            }
            values.put(e.getKey(), ConfigIo.JSON.valueToTree(e.getValue()));
        }
        return new ConfigLayer(Kind.PRESET, presetName, values);
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
            case FILE -> "config file " + source + ": key '" + key + "'";
            case PRESET -> "preset " + source + ": key '" + key + "'";
        };
    }

    /** Sets this layer's keys on {@code config}; a value of the wrong type is a UserException naming it. */
    void applyTo(TrainConfig config) {
        for (Map.Entry<String, Object> e : values.entrySet()) {
            String key = e.getKey();
            Class<?> type = ConfigKeys.field(key).getType();
            Object value;
            try {
                value = e.getValue() instanceof JsonNode n
                        ? ConfigValues.fromNode(n, type)
                        : ConfigValues.fromText((String) e.getValue(), type);
            } catch (IllegalArgumentException ex) {
                throw new UserException(describe(key) + ": " + ex.getMessage());
            }
            ConfigKeys.set(config, key, value);
        }
    }
}
