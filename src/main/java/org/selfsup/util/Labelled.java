package org.selfsup.util;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * An enum whose constants are spelled in configuration files and flags as their names in kebab-case
 * ({@code COSINE_EPOCH} is {@code cosine-epoch}): the one list of a key's values, for validation, parsing,
 * flag help and completion alike.
 */
public interface Labelled {
    /** The constant's Java name (implemented by every enum). */
    String name();

    /** How configuration files and flags spell this constant. */
    default String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The labels of every constant of {@code type}, in declaration order. */
    static <E extends Enum<E> & Labelled> List<String> labels(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(Labelled::label).toList();
    }

    /** The constant of {@code type} labelled {@code value} (case-insensitive), or null. */
    static <E extends Enum<E> & Labelled> E find(Class<E> type, String value) {
        if (value == null) {
            return null;
        }
        for (E e : type.getEnumConstants()) {
            if (e.label().equalsIgnoreCase(value)) {
                return e;
            }
        }
        return null;
    }

    /**
     * The constant of {@code type} labelled {@code value}.
     *
     * @param key the configuration key or flag, for the message
     * @throws UserException naming the key and the valid values
     */
    static <E extends Enum<E> & Labelled> E parse(Class<E> type, String value, String key) {
        E e = find(type, value);
        if (e == null) {
            List<String> labels = labels(type);
            throw new UserException(key + ": '" + value + "' is not one of " + String.join(", ", labels)
                    + Names.didYouMean(String.valueOf(value), labels));
        }
        return e;
    }
}
