package org.selfsup.method;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A heavy-augmentation strategy (docs/methods.md §8): which views the plan must make, which pairs of them enter
 * the loss, in which direction gradients flow and with what weight. Combined with a base method's
 * {@link PairwiseObjective} it is a method ({@link #over}); the papers' combinations keep their names as
 * aliases ({@link #alias}). Declared in the strategy's own file and listed once in {@link HeavyStrategies}.
 *
 * @param name        the {@code heavy} value, e.g. {@code rsa}
 * @param summary     one line for listings
 * @param views       the view names the strategy reads
 * @param options     the strategy's own options
 * @param defaultPlan the view plan for a base method, when {@code plan} is empty
 * @param factory     the loss over a base's pairwise objective
 */
public record HeavyStrategy(String name, String summary, List<String> views, List<MethodOption> options,
                            Function<MethodDefinition, String> defaultPlan, Factory factory) {
    /** Makes the strategy's loss for one run. */
    @FunctionalInterface
    public interface Factory {
        /**
         * @param method  the combined method's definition (what the loss reports as its own)
         * @param base    the base method's pairwise objective
         * @param options the option values
         */
        SslMethod create(MethodDefinition method, PairwiseObjective base, MethodOptions options);
    }

    public HeavyStrategy {
        Objects.requireNonNull(name);
        views = List.copyOf(views);
        options = List.copyOf(options);
        Objects.requireNonNull(defaultPlan);
        Objects.requireNonNull(factory);
    }

    /** The method {@code base} with this strategy, named {@code base+strategy} (e.g. {@code vicreg+dssl}). */
    public MethodDefinition over(MethodDefinition base) {
        return combine(base.name() + "+" + name, base.summary() + "; heavy views: " + summary, base, Map.of());
    }

    /**
     * A paper's combination under its own name, e.g. {@code rsa} = {@code byol} with {@code rsa}.
     *
     * @param fixed option values the alias fixes; those options are not the alias's to set
     */
    public MethodDefinition alias(String aliasName, String aliasSummary, MethodDefinition base,
                                  Map<String, Double> fixed) {
        return combine(aliasName, aliasSummary, base, fixed);
    }

    private MethodDefinition combine(String methodName, String methodSummary, MethodDefinition base,
                                     Map<String, Double> fixed) {
        if (!base.isBase()) {
            throw new IllegalArgumentException(base.name() + " already applies a heavy-augmentation strategy");
        }
        List<MethodOption> all = new ArrayList<>(base.options());
        options.stream().filter(o -> !fixed.containsKey(o.key())).forEach(all::add);
        MethodDefinition[] self = new MethodDefinition[1];
        Function<MethodOptions, SslMethod> loss = o -> {
            MethodOptions values = o;
            for (Map.Entry<String, Double> e : fixed.entrySet()) {
                values = values.with(e.getKey(), e.getValue());
            }
            return factory.create(self[0], base.createPairwise(values), values);
        };
        self[0] = new MethodDefinition(methodName, methodSummary, views, base.usesTarget(), defaultPlan.apply(base),
                base.heads(), all, loss, null, name, base.heavyPlan());
        return self[0];
    }

    /** Starts a strategy called {@code name}. */
    public static Builder named(String name) {
        return new Builder(name);
    }

    /** Fluent construction, so each strategy's file reads as a declaration. */
    public static final class Builder {
        private final String name;
        private String summary = "";
        private List<String> views = List.of();
        private final List<MethodOption> options = new ArrayList<>();
        private Function<MethodDefinition, String> defaultPlan = MethodDefinition::heavyPlan;

        private Builder(String name) {
            this.name = name;
        }

        public Builder summary(String s) {
            this.summary = s;
            return this;
        }

        public Builder views(String... names) {
            this.views = List.of(names);
            return this;
        }

        /** The same view plan for every base (default: each base's {@link MethodDefinition#heavyPlan}). */
        public Builder plan(String plan) {
            this.defaultPlan = base -> plan;
            return this;
        }

        public Builder option(MethodOption o) {
            options.add(o);
            return this;
        }

        /** The strategy, with the loss made by {@code f}. */
        public HeavyStrategy loss(Factory f) {
            return new HeavyStrategy(name, summary, views, options, defaultPlan, f);
        }
    }
}
