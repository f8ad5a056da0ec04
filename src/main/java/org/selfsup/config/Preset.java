package org.selfsup.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A named starting configuration, after one of the original papers' commands.
 *
 * @param name the preset name, e.g. {@code rsa-cifar10}
 * @param description one line: what it trains
 * @param source where its values come from (sections of methods.md)
 * @param values the keys it sets, kebab-case, with Java values (String, Integer, Double, Boolean, List)
 */
public record Preset(String name, String description, String source, Map<String, Object> values) {
    public Preset {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** The preset as a configuration layer. */
    public ConfigLayer layer() {
        return ConfigLayer.ofPreset(name, values);
    }

    /** The preset's configuration on its own (base defaults, then the preset), with its name filled in. */
    public TrainConfig config() {
        TrainConfig c = new TrainConfig();
        layer().applyTo(c);
        c.preset = name;
        if (c.name.isEmpty()) {
            c.name = name;
        }
        return c;
    }

    /** Starts a preset. */
    static Builder builder(String name, String description, String source) {
        return new Builder(name, description, source);
    }

    /** Collects a preset's values; {@link #from} copies another preset's values first. */
    static final class Builder {
        private final String name;
        private final String description;
        private final String source;
        private final Map<String, Object> values = new LinkedHashMap<>();

        private Builder(String name, String description, String source) {
            this.name = name;
            this.description = description;
            this.source = source;
        }

        Builder from(Preset other) {
            values.putAll(other.values());
            return this;
        }

        Builder set(String key, Object value) {
            if (!ConfigKeys.contains(key)) {
                throw new IllegalArgumentException("preset " + name + ": not a config key: " + key);
            }
            values.put(key, value);
            return this;
        }

        Preset build() {
            return new Preset(name, description, source, values);
        }
    }
}
