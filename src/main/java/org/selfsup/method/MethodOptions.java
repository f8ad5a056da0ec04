package org.selfsup.method;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The values of the methods' own options ({@link MethodOption}) for one run, by key; every declared
 * option has a value (its default unless a configuration layer set it).
 */
public final class MethodOptions {
    private final Map<String, Double> values;

    /** @param values a value for every key of {@link MethodRegistry#options()} (defaults fill the rest) */
    public MethodOptions(Map<String, Double> values) {
        Map<String, Double> v = new LinkedHashMap<>(MethodRegistry.optionDefaults());
        v.putAll(values);
        this.values = Map.copyOf(v);
    }

    /** Every option at its default. */
    public static MethodOptions defaults() {
        return new MethodOptions(Map.of());
    }

    /** These values with option {@code key} set to {@code value}. */
    public MethodOptions with(String key, double value) {
        Map<String, Double> v = new LinkedHashMap<>(values);
        v.put(key, value);
        return new MethodOptions(v);
    }

    /** The value of option {@code key}. */
    public double get(String key) {
        Double v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("no method option '" + key + "' (declared: " + values.keySet() + ")");
        }
        return v;
    }
}
