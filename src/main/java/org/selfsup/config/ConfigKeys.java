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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.selfsup.augment.AugmentOn;
import org.selfsup.augment.plans.ViewPlans;
import org.selfsup.data.BadImagePolicy;
import org.selfsup.data.LabelSource;
import org.selfsup.data.readers.DatasetRegistry;
import org.selfsup.method.HeavyStrategies;
import org.selfsup.method.MethodOption;
import org.selfsup.method.MethodRegistry;
import org.selfsup.model.ModelSpec;
import org.selfsup.optim.Optimizers;
import org.selfsup.runtime.Precision;

/**
 * The keys of {@link TrainConfig}: its fields in declaration order, then the methods' own options (declared
 * by each method, see {@code MethodRegistry.options()}), with their types and descriptions.
 */
public final class ConfigKeys {
    private ConfigKeys() {}

    private static final Map<String, Field> FIELDS = scan();

    /**
     * Keys that say where and how a run is executed, watched and kept, not what it trains: they may differ
     * between the original and a resuming command. Every other key must match the checkpoint's. Declared on
     * each key's field ({@link RunSetting}); the methods' options are never run settings.
     */
    public static final Set<String> RUN_SETTINGS = runSettings();

    private static Set<String> runSettings() {
        Set<String> keys = new LinkedHashSet<>();
        FIELDS.forEach((key, field) -> {
            if (field.isAnnotationPresent(RunSetting.class)) {
                keys.add(key);
            }
        });
        return Collections.unmodifiableSet(keys);
    }

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

    private static final Map<String, MethodOption> OPTIONS = MethodRegistry.options();

    private static final Map<String, List<String>> CHOICES = choiceLists();

    private static Map<String, List<String>> choiceLists() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("method", MethodRegistry.NAMES);
        m.put("heavy", HeavyStrategies.NAMES);
        m.put("plan", ViewPlans.TRAINING_NAMES);
        m.put("dataset", DatasetRegistry.NAMES);
        m.put("on-bad-image", BadImagePolicy.LABELS);
        m.put("labels", LabelSource.LABELS);
        m.put("arch", ModelSpec.ARCHS);
        m.put("pooling", ModelSpec.POOLINGS);
        m.put("vit-init", ModelSpec.VIT_INITS);
        m.put("pos-embed", ModelSpec.POS_EMBEDS);
        m.put("lr-scaling", Choices.LrScaling.LABELS);
        m.put("optimizer", Optimizers.NAMES);
        m.put("lr-schedule", Choices.LrSchedule.LABELS);
        m.put("ema-schedule", Choices.EmaSchedule.LABELS);
        m.put("ema-timing", Choices.EmaTiming.LABELS);
        m.put("augment-on", AugmentOn.LABELS);
        m.put("precision", Precision.LABELS);
        m.put("knn-transform", Choices.KnnTransform.LABELS);
        m.put("probe", Choices.Probe.LABELS);
        for (String k : m.keySet()) {
            field(k); // every choice is a field
        }
        return Collections.unmodifiableMap(m);
    }
    private static final Set<String> ALL = allKeys();

    private static Set<String> allKeys() {
        Set<String> keys = new LinkedHashSet<>(FIELDS.keySet());
        for (String k : OPTIONS.keySet()) {
            if (!keys.add(k)) {
                throw new IllegalStateException("method option '" + k + "' clashes with a configuration field");
            }
        }
        return Collections.unmodifiableSet(keys);
    }

    /** Every key, kebab-case: the fields in declaration order, then the method options. */
    public static Set<String> all() {
        return ALL;
    }

    /** Whether {@code key} is a configuration key. */
    public static boolean contains(String key) {
        return ALL.contains(key);
    }

    /** The Java type of a key's value ({@code double} for method options). */
    static Class<?> type(String key) {
        return OPTIONS.containsKey(key) ? double.class : field(key).getType();
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
     * and the current one, each as {@code key (checkpoint: saved, now: current)}, in key order. A key the
     * saved configuration does not have (it was written before the key existed, e.g. a method option added
     * since) counts as having its default value, so such a run still resumes.
     *
     * @param savedJson the configuration a checkpoint holds, as JSON
     * @param nowJson   the current configuration, as JSON
     */
    public static List<String> trainingDifferences(String savedJson, String nowJson) {
        try {
            JsonNode saved = JSON.readTree(savedJson);
            JsonNode now = JSON.readTree(nowJson);
            JsonNode defaults = JSON.readTree(new TrainConfig().toJson());
            List<String> diffs = new ArrayList<>();
            now.fieldNames().forEachRemaining(key -> {
                JsonNode before = saved.has(key) ? saved.get(key) : defaults.get(key);
                if (!RUN_SETTINGS.contains(key) && !now.get(key).equals(before)) {
                    diffs.add(key + " (checkpoint: " + before + ", now: " + now.get(key) + ")");
                }
            });
            return diffs;
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("unreadable configuration JSON", e);
        }
    }

    /**
     * A checksum of the training keys of a configuration (every key but {@link #RUN_SETTINGS}): equal for
     * two configurations exactly when {@link #trainingDifferences} finds none (data-parallel ranks
     * compare it at start).
     */
    public static long trainingChecksum(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
            node.fieldNames().forEachRemaining(key -> {
                if (!RUN_SETTINGS.contains(key)) {
                    crc.update((key + "=" + node.get(key) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
            });
            return crc.getValue();
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("unreadable configuration JSON", e);
        }
    }

    /** The documentation of a key. */
    public static String description(String key) {
        if (OPTIONS.containsKey(key)) {
            return OPTIONS.get(key).description() + " Used by: " + String.join(", ", MethodRegistry.declaring(key)) + ".";
        }
        JsonPropertyDescription d = field(key).getAnnotation(JsonPropertyDescription.class);
        String text = d == null ? "" : d.value();
        // the owners' lists, not copies of them
        return CHOICES.containsKey(key) ? String.format(Locale.ROOT, text, String.join(", ", CHOICES.get(key))) : text;
    }

    /**
     * The values a key accepts, from the list of the package that owns them (for validation, the key's
     * description and flag completion); empty for a key that is not a choice. {@code plan} and {@code probe}
     * also accept "" (the method's default plan, no probe).
     */
    public static List<String> choices(String key) {
        return CHOICES.getOrDefault(key, List.of());
    }

    /** A short type label for help texts: int, number, true|false, text, int list. */
    public static String typeLabel(String key) {
        Class<?> t = type(key);
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
        return type(key) == boolean.class;
    }

    /** The value of a key in a configuration. */
    public static Object get(TrainConfig config, String key) {
        if (OPTIONS.containsKey(key)) {
            return config.methodOption(key);
        }
        try {
            return field(key).get(config);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    static void set(TrainConfig config, String key, Object value) {
        if (OPTIONS.containsKey(key)) {
            config.setMethodOption(key, value);
            return;
        }
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
