package org.selfsup.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Converts raw values (command-line text or parsed YAML/JSON nodes) to the Java type of a key. Strict:
 * 1.5 is not an integer, 3 is not a boolean, NaN or infinity is not a number, and in a file a quoted
 * number ({@code epochs: "3"}) is text, not a number. Throws IllegalArgumentException with a message
 * such as "expected an integer, got 'abc'".
 */
final class ConfigValues {
    private ConfigValues() {}

    /** Converts command-line text. */
    static Object fromText(String text, Class<?> type) {
        String t = text.trim();
        if (type == String.class) {
            return text;
        } else if (type == int.class) {
            return parseInt(t);
        } else if (type == long.class) {
            return parseLong(t);
        } else if (type == double.class) {
            return parseDouble(t);
        } else if (type == boolean.class) {
            return parseBoolean(t);
        } else if (type == List.class) {
            return parseIntList(t);
        }
        throw new IllegalStateException("unsupported config type " + type);
    }

    /**
     * Converts a parsed YAML/JSON value. Text for a number or boolean key is a type error (a quoted
     * {@code "3"}), except in YAML text that YAML itself does not read as a number when written plain
     * ({@code 5e-4}, {@code 1e3}: YAML 1.1 wants a dot), which is read as the number it spells.
     *
     * @param yaml whether the value comes from YAML
     */
    static Object fromNode(JsonNode node, Class<?> type, boolean yaml) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            if (type == String.class) {
                return "";
            }
            throw new IllegalArgumentException("must not be empty (expected " + expected(type) + ")");
        }
        if (node.isContainerNode() && type != List.class) {
            throw new IllegalArgumentException("expected " + expected(type) + ", got " + (node.isArray() ? "a list" : "a mapping"));
        }
        if (node.isTextual() && type != String.class && type != List.class && !yamlPlainText(node.asText(), yaml)) {
            throw new IllegalArgumentException("expected " + expected(type) + ", got the text \"" + abbreviate(node.asText())
                    + "\" (write " + (type == boolean.class ? "true or false" : "the number") + " without quotes)");
        }
        if (type == String.class) {
            return node.asText();
        } else if (type == int.class) {
            if (node.isIntegralNumber() && node.canConvertToInt()) {
                return node.intValue();
            }
            return node.isTextual() ? parseInt(node.asText().trim()) : fail(type, node);
        } else if (type == long.class) {
            if (node.isIntegralNumber() && node.canConvertToLong()) {
                return node.longValue();
            }
            return node.isTextual() ? parseLong(node.asText().trim()) : fail(type, node);
        } else if (type == double.class) {
            if (node.isNumber()) {
                return finite(node.doubleValue(), node.asText());
            }
            // YAML 1.1 reads "5e-4" (no dot) as text: accept numeric text.
            return node.isTextual() ? parseDouble(node.asText().trim()) : fail(type, node);
        } else if (type == boolean.class) {
            if (node.isBoolean()) {
                return node.booleanValue();
            }
            return node.isTextual() ? parseBoolean(node.asText().trim()) : fail(type, node);
        } else if (type == List.class) {
            if (node.isTextual()) {
                return parseIntList(node.asText().trim());
            }
            if (!node.isArray()) {
                return fail(type, node);
            }
            List<Integer> list = new ArrayList<>();
            for (JsonNode item : node) {
                if (!(item.isIntegralNumber() && item.canConvertToInt())) {
                    throw new IllegalArgumentException("expected a list of integers, got item '" + item.asText() + "'");
                }
                list.add(item.intValue());
            }
            return list;
        }
        throw new IllegalStateException("unsupported config type " + type);
    }

    /**
     * Whether {@code text}, given as text for a number or boolean key, may be read as one: only in YAML,
     * and only when YAML would also read it as text written plain (so it was not necessarily quoted).
     */
    private static boolean yamlPlainText(String text, boolean yaml) {
        if (!yaml) {
            return false;
        }
        try {
            JsonNode plain = ConfigIo.YAML.readTree(text);
            return plain == null || !(plain.isNumber() || plain.isBoolean());
        } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException e) {
            return true; // not a plain scalar: the conversion below refuses it
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }

    private static Object fail(Class<?> type, JsonNode node) {
        throw new IllegalArgumentException("expected " + expected(type) + ", got '" + node.asText() + "'");
    }

    private static String expected(Class<?> type) {
        if (type == int.class || type == long.class) {
            return "an integer";
        } else if (type == double.class) {
            return "a number";
        } else if (type == boolean.class) {
            return "true or false";
        } else if (type == List.class) {
            return "a list of integers";
        }
        return "a text value";
    }

    private static int parseInt(String t) {
        try {
            return Integer.parseInt(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected an integer, got '" + t + "'");
        }
    }

    private static long parseLong(String t) {
        try {
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected an integer, got '" + t + "'");
        }
    }

    private static double parseDouble(String t) {
        try {
            return finite(Double.parseDouble(t), t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a number, got '" + t + "'");
        }
    }

    private static double finite(double v, String text) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("expected a finite number, got '" + text + "'");
        }
        return v;
    }

    private static boolean parseBoolean(String t) {
        return switch (t.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("expected true or false, got '" + t + "'");
        };
    }

    private static List<Integer> parseIntList(String t) {
        List<Integer> list = new ArrayList<>();
        String body = t.startsWith("[") && t.endsWith("]") ? t.substring(1, t.length() - 1) : t;
        for (String part : body.split(",", -1)) {
            try {
                list.add(Integer.parseInt(part.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected a comma-separated list of integers, got '" + t + "'");
            }
        }
        return list;
    }
}
