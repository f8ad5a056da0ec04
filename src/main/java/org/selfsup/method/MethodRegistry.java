package org.selfsup.method;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.selfsup.model.Backbone;
import org.selfsup.model.ModelSpec;
import org.selfsup.util.UserException;

/**
 * The methods, one {@link MethodDefinition} each (declared in the method's own file). Every method list,
 * flag help, configuration check and model choice reads this one list; adding a method is adding its
 * file and one line here.
 */
public final class MethodRegistry {
    private MethodRegistry() {}

    /** Every method, in listing order: one line per method (an array, so every line ends alike). */
    public static final List<MethodDefinition> ALL = List.of(new MethodDefinition[] {
        Byol.DEFINITION,
        SimSiam.DEFINITION,
        Rsa.DEFINITION,
        DsslSimSiam.DEFINITION,
        DsslByol.DEFINITION,
        DsslByolBaseline.DEFINITION,
        HeavySymmetric.DEFINITION,
        HeavySymmetric.BYOL_DEFINITION,
        SimClr.DEFINITION,
        VicReg.DEFINITION,
        BarlowTwins.DEFINITION,
        MocoV3.DEFINITION,
    });

    /** Every registered method name. */
    public static final List<String> NAMES = ALL.stream().map(MethodDefinition::name).toList();

    private static final Map<String, MethodOption> OPTIONS = collectOptions();

    private static Map<String, MethodOption> collectOptions() {
        Map<String, MethodOption> out = new LinkedHashMap<>();
        for (MethodDefinition d : ALL) {
            for (MethodOption o : d.options()) {
                MethodOption before = out.putIfAbsent(o.key(), o);
                if (before != null && !before.equals(o)) {
                    throw new IllegalStateException("method option '" + o.key() + "' is declared differently by "
                            + "two methods");
                }
            }
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    /** The definition called {@code name} (case-insensitive), if any. */
    public static Optional<MethodDefinition> find(String name) {
        String n = name == null ? "" : name.toLowerCase(Locale.ROOT);
        return ALL.stream().filter(d -> d.name().equals(n)).findFirst();
    }

    /**
     * The definition called {@code name} (case-insensitive).
     *
     * @throws UserException naming the {@code method} key and listing the valid names
     */
    public static MethodDefinition get(String name) {
        return find(name).orElseThrow(() -> new UserException("method: unknown '" + name + "' (expected one of "
                + String.join(", ", NAMES) + ")"));
    }

    /** The method called {@code name} configured by {@code opts}. */
    public static SslMethod create(String name, MethodOptions opts) {
        return get(name).create(opts);
    }

    /**
     * The model method {@code name} trains on backbone {@code arch} ({@code width} and {@code blocks}
     * only for {@code small}).
     *
     * @param zeroInitResidual null for the method's default
     * @throws UserException for an unknown method or arch
     */
    public static ModelSpec modelSpec(String name, String arch, int width, List<Integer> blocks,
                                      Boolean zeroInitResidual) {
        MethodDefinition d = get(name);
        return d.modelSpec(Backbone.of(arch, width, blocks), zeroInitResidual);
    }

    /**
     * The model method {@code name} trains on {@code backbone} (a ViT's settings included).
     *
     * @param zeroInitResidual null for the method's default
     * @throws UserException for an unknown method
     */
    public static ModelSpec modelSpec(String name, Backbone backbone, Boolean zeroInitResidual) {
        return get(name).modelSpec(backbone, zeroInitResidual);
    }

    /** {@link #modelSpec(String, String, int, List, Boolean)} with the small arch's defaults (width 16, blocks 1,1,1,1). */
    public static ModelSpec modelSpec(String name, String arch) {
        return modelSpec(name, arch, 16, List.of(1, 1, 1, 1), null);
    }

    /** The options every method declares, by key, in declaration order. */
    public static Map<String, MethodOption> options() {
        return OPTIONS;
    }

    /** The methods that declare option {@code key}. */
    public static List<String> declaring(String key) {
        return ALL.stream().filter(d -> d.options().stream().anyMatch(o -> o.key().equals(key)))
                .map(MethodDefinition::name).toList();
    }

    /** Each option's default, by key. */
    public static Map<String, Double> optionDefaults() {
        Map<String, Double> out = new LinkedHashMap<>();
        OPTIONS.forEach((k, o) -> out.put(k, o.defaultValue()));
        return out;
    }
}
