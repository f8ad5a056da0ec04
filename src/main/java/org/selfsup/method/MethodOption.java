package org.selfsup.method;

import java.util.Locale;

/**
 * A numeric hyper-parameter a method declares: a configuration key and flag of the same name, with its
 * default, its valid range and its documentation.
 *
 * @param key          kebab-case key, e.g. {@code beta}
 * @param defaultValue value when no layer sets it
 * @param min          smallest valid value
 * @param minExclusive whether {@code min} itself is invalid
 * @param max          largest valid value
 * @param description  one line for {@code --help} and the README
 */
public record MethodOption(String key, double defaultValue, double min, boolean minExclusive, double max,
                           String description) {
    public MethodOption {
        if (problem(defaultValue, min, minExclusive, max) != null) {
            throw new IllegalArgumentException(key + ": default " + defaultValue + " is out of its own range");
        }
    }

    /** An option valid in [0, 1]. */
    public static MethodOption unitInterval(String key, double defaultValue, String description) {
        return new MethodOption(key, defaultValue, 0, false, 1, description);
    }

    /** An option that must be positive. */
    public static MethodOption positive(String key, double defaultValue, String description) {
        return new MethodOption(key, defaultValue, 0, true, Double.POSITIVE_INFINITY, description);
    }

    /** What is wrong with {@code value} (e.g. {@code must be in [0, 1] (got 2.0)}), or null if it is valid. */
    public String problem(double value) {
        return problem(value, min, minExclusive, max);
    }

    private static String problem(double value, double min, boolean minExclusive, double max) {
        boolean ok = (minExclusive ? value > min : value >= min) && value <= max;
        if (ok) {
            return null;
        }
        if (Double.isInfinite(max)) {
            return (minExclusive && min == 0 ? "must be positive" : "must be at least " + number(min))
                    + " (got " + value + ")";
        }
        return "must be in " + (minExclusive ? "(" : "[") + number(min) + ", " + number(max) + "] (got " + value + ")";
    }

    private static String number(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%s", v);
    }
}
