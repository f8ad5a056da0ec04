package org.selfsup.config;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The keys of {@link TrainConfig}, in declaration order, with their fields and descriptions. */
public final class ConfigKeys {
    private ConfigKeys() {}

    private static final Map<String, Field> FIELDS = scan();

    /**
     * Keys that say where and how a run is executed, watched and kept, not what it trains: they may differ
     * between the original and a resuming command. Every other key must match the checkpoint's.
     */
    public static final Set<String> RUN_SETTINGS = Set.of("name", "runs-dir", "data-dir", "threads",
            "torch-threads", "prefetch", "device", "knn-every", "knn-k", "knn-t", "checkpoint-every", "checkpoint-steps",
            "log-every", "collapse-std", "preset", "channels-last", "cudnn-benchmark", "tf32");

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Map<String, Field> scan() {
        PropertyNamingStrategies.KebabCaseStrategy kebab = new PropertyNamingStrategies.KebabCaseStrategy();
        Map<String, Field> map = new LinkedHashMap<>();
        for (Field f : TrainConfig.class.getDeclaredFields()) {
            int mod = f.getModifiers();
            if (Modifier.isPublic(mod) && !Modifier.isStatic(mod)) {
                map.put(kebab.translate(f.getName()), f);
            }
        }
        return Collections.unmodifiableMap(map);
    }

    /** Every key, kebab-case, in declaration order. */
    public static Set<String> all() {
        return FIELDS.keySet();
    }

    /** Whether {@code key} is a configuration key. */
    public static boolean contains(String key) {
        return FIELDS.containsKey(key);
    }

    /** The field behind a key. */
    static Field field(String key) {
        Field f = FIELDS.get(key);
        if (f == null) {
            throw new IllegalArgumentException("not a config key: " + key);
        }
        return f;
    }

    /**
     * The training keys (all but {@link #RUN_SETTINGS}) whose values differ between a saved configuration
     * and the current one, each as {@code key (checkpoint: saved, now: current)}, in key order.
     *
     * @param savedJson the configuration a checkpoint holds, as JSON
     * @param nowJson   the current configuration, as JSON
     */
    public static List<String> trainingDifferences(String savedJson, String nowJson) {
        try {
            JsonNode saved = JSON.readTree(savedJson);
            JsonNode now = JSON.readTree(nowJson);
            List<String> diffs = new ArrayList<>();
            now.fieldNames().forEachRemaining(key -> {
                if (!RUN_SETTINGS.contains(key) && !now.get(key).equals(saved.get(key))) {
                    diffs.add(key + " (checkpoint: " + saved.get(key) + ", now: " + now.get(key) + ")");
                }
            });
            return diffs;
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("unreadable configuration JSON", e);
        }
    }

    /** The documentation of a key. */
    public static String description(String key) {
        JsonPropertyDescription d = field(key).getAnnotation(JsonPropertyDescription.class);
        return d == null ? "" : d.value();
    }

    /** A short type label for help texts: int, number, true|false, text, int list. */
    public static String typeLabel(String key) {
        Class<?> t = field(key).getType();
        if (t == int.class || t == long.class) {
            return "int";
        } else if (t == double.class) {
            return "number";
        } else if (t == boolean.class) {
            return "true|false";
        } else if (t == List.class) {
            return "int,int,...";
        }
        return "text";
    }

    /** Whether a key holds a boolean (a flag that may be given without a value). */
    public static boolean isBoolean(String key) {
        return field(key).getType() == boolean.class;
    }

    /** The value of a key in a configuration. */
    public static Object get(TrainConfig config, String key) {
        try {
            return field(key).get(config);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    static void set(TrainConfig config, String key, Object value) {
        try {
            field(key).set(config, value);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A value as written on the command line: lists as comma-separated items. */
    public static String format(Object value) {
        if (value instanceof List<?> list) {
            StringBuilder b = new StringBuilder();
            for (Object o : list) {
                b.append(b.length() == 0 ? "" : ",").append(o);
            }
            return b.toString();
        }
        return String.valueOf(value);
    }
}
