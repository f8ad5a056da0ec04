package org.selfsup.method;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The heavy-augmentation strategies (the {@code heavy} key), one {@link HeavyStrategy} each, declared in the
 * strategy's own file. Adding a strategy is adding its file and one line here.
 */
public final class HeavyStrategies {
    private HeavyStrategies() {}

    /** The {@code heavy} value of a base method on its own views. */
    public static final String NONE = "none";

    /** Every strategy, in listing order: one line per strategy. */
    public static final List<HeavyStrategy> ALL = List.of(new HeavyStrategy[] {
        HeavySymmetric.STRATEGY,
        Rsa.STRATEGY,
        Dssl.STRATEGY,
    });

    /** Every {@code heavy} value: {@link #NONE}, then each strategy's name. */
    public static final List<String> NAMES = names();

    private static List<String> names() {
        List<String> out = new ArrayList<>(List.of(NONE));
        ALL.forEach(s -> out.add(s.name()));
        return List.copyOf(out);
    }

    /** The strategy called {@code name}, if any ({@link #NONE} is no strategy). */
    public static Optional<HeavyStrategy> find(String name) {
        return ALL.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
