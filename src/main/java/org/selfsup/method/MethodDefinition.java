package org.selfsup.method;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.selfsup.model.Backbone;
import org.selfsup.model.ModelSpec;

/**
 * Everything the rest of selfsup knows about a method, declared in the method's own file and listed
 * once in {@link MethodRegistry}: its name and one-line summary, the views its loss reads, whether it
 * trains an EMA target, its default view plan, its heads and initialisation for each backbone, its own
 * options (keys, defaults, ranges) and how to make its loss from their values. Configuration
 * validation, flag help, the model and the trainer all read this; nothing needs a method object for it.
 *
 * @param name        registry name and {@code method} value, e.g. {@code rsa}
 * @param summary     one line for listings
 * @param views       the view names the loss reads; the view plan must make exactly these
 * @param usesTarget  whether the model needs an EMA target network
 * @param defaultPlan the view plan used when {@code plan} is empty
 * @param heads       the model spec (initialisation, projector, predictor) for a backbone
 * @param options     the method's own options
 * @param factory     the loss, from the options' values
 * @param pairwise    for a base method, its pairwise objective from the options' values (what a heavy-augmentation
 *                    strategy combines, {@link HeavyStrategy}); null for a method that already applies a strategy
 * @param heavy       the heavy-augmentation strategy the method applies: {@link HeavyStrategies#NONE} for a base
 *                    method, else the strategy's name (e.g. {@code rsa} for the method {@code rsa})
 * @param heavyPlan   for a base method, the view plan whose standard views x1, x2 are its own views and whose
 *                    heavy views x11, x21 are made from them (the default plan of its symmetric and dssl forms)
 */
public record MethodDefinition(String name, String summary, List<String> views, boolean usesTarget,
                               String defaultPlan, Heads heads, List<MethodOption> options,
                               Function<MethodOptions, SslMethod> factory,
                               Function<MethodOptions, PairwiseObjective> pairwise, String heavy, String heavyPlan) {
    /** A method's heads and initialisation for a backbone (the original code's, per backbone). */
    @FunctionalInterface
    public interface Heads {
        /**
         * @param zeroInitResidual the {@code zero-init-residual} setting, or null for the method's default
         */
        ModelSpec spec(Backbone backbone, Boolean zeroInitResidual);
    }

    public MethodDefinition {
        Objects.requireNonNull(name);
        views = List.copyOf(views);
        options = List.copyOf(options);
        Objects.requireNonNull(defaultPlan);
        Objects.requireNonNull(heads);
        Objects.requireNonNull(factory);
        Objects.requireNonNull(heavy);
    }

    /** Whether this is a base method (no heavy-augmentation strategy applied), which strategies can combine. */
    public boolean isBase() {
        return pairwise != null;
    }

    /** The pairwise objective of this base method, configured by {@code options}. */
    public PairwiseObjective createPairwise(MethodOptions options) {
        if (pairwise == null) {
            throw new IllegalStateException(name + " is not a base method");
        }
        return pairwise.apply(options);
    }

    /** The loss, configured by {@code options}. */
    public SslMethod create(MethodOptions options) {
        return factory.apply(options);
    }

    /** The model spec of this method on {@code backbone}. */
    public ModelSpec modelSpec(Backbone backbone, Boolean zeroInitResidual) {
        return heads.spec(backbone, zeroInitResidual);
    }

    /** Starts a definition of the method {@code name}. */
    public static Builder named(String name) {
        return new Builder(name);
    }

    /** Fluent construction, so each method's file reads as a declaration. */
    public static final class Builder {
        private final String name;
        private String summary = "";
        private List<String> views = List.of();
        private boolean usesTarget;
        private String defaultPlan;
        private String heavyPlan = "dssl-cifar";
        private Heads heads;
        private final List<MethodOption> options = new ArrayList<>();

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

        /** The method trains an EMA target network. */
        public Builder withTarget() {
            this.usesTarget = true;
            return this;
        }

        public Builder defaultPlan(String plan) {
            this.defaultPlan = plan;
            return this;
        }

        /** The base method's plan with heavy views (default {@code dssl-cifar}, SimSiam's CIFAR views + RandAugment). */
        public Builder heavyPlan(String plan) {
            this.heavyPlan = plan;
            return this;
        }

        public Builder heads(Heads h) {
            this.heads = h;
            return this;
        }

        public Builder option(MethodOption o) {
            options.add(o);
            return this;
        }

        /**
         * The definition of a base method, whose loss {@code factory} makes is also the pairwise objective the
         * heavy-augmentation strategies combine.
         */
        public MethodDefinition loss(Function<MethodOptions, PairwiseObjective> factory) {
            return new MethodDefinition(name, summary, views, usesTarget, defaultPlan, heads, options,
                    factory::apply, factory, HeavyStrategies.NONE, heavyPlan);
        }
    }
}
