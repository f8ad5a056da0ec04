package org.selfsup.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.selfsup.util.Names;
import org.selfsup.util.UserException;

/**
 * Builds the effective configuration of a run from its layers: base defaults, then the preset, then the
 * config file, then the command-line flags (each later layer wins). Errors name where the offending
 * value came from: "option --batch-size: must be at least 2 (got 0)" or "config file run.yaml: key
 * 'beta': must be in [0, 1] (got 1.5)".
 */
public final class ConfigResolver {
    private ConfigResolver() {}

    /** File name of the effective configuration inside a run folder. */
    public static final String SAVED_CONFIG = "config.yaml";

    /**
     * The effective configuration.
     *
     * @param presetName the preset given on the command line, or null/empty: then the config file's
     *     {@code preset} key, else {@link Presets#DEFAULT}
     * @param configFile a YAML or JSON file, or null
     * @param flags the flag values given on the command line, or null
     * @return the validated configuration; {@code name} defaults to the config file's name (without
     *     extension), else the preset name
     */
    public static TrainConfig resolve(String presetName, Path configFile, ConfigLayer flags) {
        Layered l = layer(presetName, configFile, flags);
        validate(l.config(), l.layers());
        return l.config();
    }

    /**
     * The configuration to continue a run with. When no preset and no config file are given and the run
     * folder (from the flags, or the default name) holds a saved configuration, that configuration is the
     * base and the flags apply on top; otherwise as {@link #resolve}.
     */
    public static TrainConfig resolveForResume(String presetName, Path configFile, ConfigLayer flags) {
        boolean fromCommandLineOnly = (presetName == null || presetName.isBlank()) && configFile == null;
        if (fromCommandLineOnly) {
            // Only the run folder is needed here; the values are validated on the saved config.
            Path saved = layer(null, null, flags).config().runDirPath().resolve(SAVED_CONFIG);
            if (Files.isRegularFile(saved)) {
                return resolve(null, saved, flags);
            }
        }
        return resolve(presetName, configFile, flags);
    }

    /** A configuration with the layers it was built from, before validation. */
    private record Layered(TrainConfig config, List<ConfigLayer> layers) {}

    private static Layered layer(String presetName, Path configFile, ConfigLayer flags) {
        ConfigLayer file = configFile == null ? null : ConfigLayer.fromFile(configFile);
        Preset preset = choosePreset(presetName, file);
        List<ConfigLayer> layers = new ArrayList<>();
        layers.add(preset.layer());
        if (file != null) {
            layers.add(file);
        }
        if (flags != null) {
            layers.add(flags);
        }
        TrainConfig c = new TrainConfig();
        for (ConfigLayer layer : layers) {
            layer.applyTo(c);
        }
        c.preset = preset.name();
        dropPresetPlanForAnotherMethod(c, preset.layer(), file, flags);
        if (c.name == null || c.name.isBlank()) {
            c.name = configFile != null ? runNameFrom(configFile) : preset.name();
        }
        return new Layered(c, layers);
    }

    /**
     * A preset's plan goes with the preset's method: when the config file or the flags choose another method or
     * heavy-augmentation strategy and neither gives a plan, the method's own default plan applies
     * ({@link TrainConfig#effectivePlan}), not the preset's (demo's {@code rsa} with {@code --method byol}). A
     * plan given in the file or on the command line is kept, and a mismatch with the method is still refused by
     * validation.
     */
    private static void dropPresetPlanForAnotherMethod(TrainConfig c, ConfigLayer preset, ConfigLayer file,
                                                       ConfigLayer flags) {
        boolean planGiven = (file != null && file.has("plan")) || (flags != null && flags.has("plan"));
        boolean methodOrStrategyGiven = (file != null && (file.has("method") || file.has("heavy")))
                || (flags != null && (flags.has("method") || flags.has("heavy")));
        String presetHeavy = preset.has("heavy") ? preset.text("heavy") : "none";
        if (methodOrStrategyGiven && !planGiven && preset.has("plan") && preset.has("method")
                && !(preset.text("method").equals(c.method) && presetHeavy.equals(c.heavy))) {
            c.plan = "";
        }
    }

    private static Preset choosePreset(String presetName, ConfigLayer file) {
        String name = presetName;
        String where = "option --preset";
        if ((name == null || name.isBlank()) && file != null && file.has("preset")) {
            name = file.text("preset");
            where = file.describe("preset");
        }
        if (name == null || name.isBlank()) {
            name = Presets.DEFAULT;
        }
        String chosen = name;
        String location = where;
        return Presets.find(chosen).orElseThrow(() -> new UserException(location + ": unknown preset '" + chosen
                + "'" + Names.didYouMean(chosen, Presets.names()) + "; see 'selfsup train --list-presets'"));
    }

    /** The file name without extension, with characters a run name cannot hold replaced by '-'. */
    private static String runNameFrom(Path configFile) {
        String n = configFile.getFileName().toString();
        int dot = n.lastIndexOf('.');
        String stem = (dot > 0 ? n.substring(0, dot) : n).replaceAll("[^A-Za-z0-9._-]", "-");
        return stem.replaceFirst("^[._-]+", "").isEmpty() ? "run" : stem.replaceFirst("^[._-]+", "");
    }

    /** Validates and rewrites a failure to name the layer that set the offending key last. */
    private static void validate(TrainConfig c, List<ConfigLayer> layers) {
        try {
            c.validate();
        } catch (ConfigValueException e) {
            for (int i = layers.size() - 1; i >= 0; i--) {
                for (String key : e.keys()) {
                    if (layers.get(i).has(key)) {
                        throw new UserException(layers.get(i).describe(key) + ": " + e.detail(), e);
                    }
                }
            }
            throw e;
        }
    }
}
