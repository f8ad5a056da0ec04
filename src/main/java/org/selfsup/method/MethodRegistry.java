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
 * The methods, one {@link MethodDefinition} each (declared in the method's own file): the base methods and the
 * papers' combinations of a base with a heavy-augmentation strategy under their own names ({@code rsa},
 * {@code dssl-simsiam}, ...). Every method list, flag help, configuration check and model choice reads this one
 * list; adding a method is adding its file and one line here. Any other combination is made by
 * {@link #resolve} from a base and a strategy ({@link HeavyStrategies}).
 */
public final class MethodRegistry {
    private MethodRegistry() {}

    /** Every method, in listing order: one line per method (an array, so every line ends alike). */
    public static final List<MethodDefinition> ALL = List.of(new MethodDefinition[] {
        Byol.DEFINITION,
        SimSiam.DEFINITION,
        Rsa.DEFINITION,
        Dssl.SIMSIAM,
        Dssl.BYOL,
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

    /** The base methods' names: those a heavy-augmentation strategy combines. */
    public static final List<String> BASE_NAMES = ALL.stream().filter(MethodDefinition::isBase)
            .map(MethodDefinition::name).toList();

    private static final Map<String, MethodOption> OPTIONS = collectOptions();

    private static Map<String, MethodOption> collectOptions() {
        Map<String, MethodOption> out = new LinkedHashMap<>();
        List<List<MethodOption>> declared = new java.util.ArrayList<>();
        ALL.forEach(d -> declared.add(d.options()));
        HeavyStrategies.ALL.forEach(s -> declared.add(s.options()));
        for (List<MethodOption> options : declared) {
            for (MethodOption o : options) {
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

    /**
     * The method a run trains: {@code method} with the heavy-augmentation strategy {@code heavy}. With
     * {@link HeavyStrategies#NONE} (or empty) that is {@code method} itself; a base method with a strategy is
     * their combination ({@link HeavyStrategy#over}); a method that already applies {@code heavy} (e.g.
     * {@code rsa} with {@code rsa}) is itself.
     *
     * @throws UserException naming {@code method} or {@code heavy} when they cannot be combined
     */
    public static MethodDefinition resolve(String method, String heavy) {
        MethodDefinition d = get(method);
        String h = heavy == null || heavy.isBlank() ? HeavyStrategies.NONE : heavy.toLowerCase(Locale.ROOT);
        if (h.equals(HeavyStrategies.NONE) || h.equals(d.heavy())) {
            return d;
        }
        HeavyStrategy s = HeavyStrategies.find(h).orElseThrow(() -> new UserException("heavy: unknown '" + heavy
                + "' (expected one of " + String.join(", ", HeavyStrategies.NAMES) + ")"));
        if (!d.isBase()) {
            throw new UserException("heavy: method " + d.name() + " already applies the strategy " + d.heavy()
                    + "; " + s.name() + " goes with a base method (" + String.join(", ", BASE_NAMES) + ")");
        }
        return s.over(d);
    }

    /**
     * Every method a run can train: the registered ones, then each base method with each strategy
     * ({@code BASE+STRATEGY}, the papers' combinations included a second time under that name).
     */
    public static List<MethodDefinition> combinations() {
        List<MethodDefinition> out = new java.util.ArrayList<>(ALL);
        for (MethodDefinition base : ALL) {
            if (base.isBase()) {
                HeavyStrategies.ALL.forEach(s -> out.add(s.over(base)));
            }
        }
        return out;
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

    /**
     * Who declares option {@code key}: the base methods that do, and {@code heavy NAME} for each strategy that
     * does (the papers' aliases are not repeated).
     */
    public static List<String> declaring(String key) {
        List<String> out = new java.util.ArrayList<>(ALL.stream().filter(MethodDefinition::isBase)
                .filter(d -> d.options().stream().anyMatch(o -> o.key().equals(key)))
                .map(MethodDefinition::name).toList());
        HeavyStrategies.ALL.stream().filter(s -> s.options().stream().anyMatch(o -> o.key().equals(key)))
                .forEach(s -> out.add("heavy " + s.name()));
        return out;
    }

    /** Each option's default, by key. */
    public static Map<String, Double> optionDefaults() {
        Map<String, Double> out = new LinkedHashMap<>();
        OPTIONS.forEach((k, o) -> out.put(k, o.defaultValue()));
        return out;
    }
}
