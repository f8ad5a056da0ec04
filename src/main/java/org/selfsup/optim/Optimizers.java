package org.selfsup.optim;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.util.List;

/** The optimisers a configuration can name, by name: one place for pretraining and the linear probe. */
public final class Optimizers {
    /** Optimiser names, as {@code optimizer} accepts them. */
    public static final List<String> NAMES = List.of("sgd", "lars", "adamw");

    /** LARS trust coefficient (0.001 in RSA's code). */
    static final double LARS_TRUST = 0.001;

    private Optimizers() {}

    /**
     * The named optimiser over {@code params}.
     *
     * @param name        {@code sgd} (PyTorch semantics), {@code lars} or {@code adamw} (beta1 = momentum,
     *                    beta2 0.999)
     * @param params      the parameters it updates
     * @param manager     where its state (momentum buffers) lives
     * @param momentum    momentum
     * @param nesterov    Nesterov momentum
     * @param weightDecay weight decay (sgd: every parameter; lars: parameters with more than one dimension;
     *                    adamw: decoupled, see {@link AdamW#decays})
     * @throws IllegalArgumentException for an unknown name (configuration validation rejects it first)
     */
    public static Optimizer create(String name, List<Parameter> params, NDManager manager, double momentum,
                                   boolean nesterov, double weightDecay) {
        return switch (name) {
            case "sgd" -> new Sgd(params, manager, momentum, nesterov, weightDecay);
            case "lars" -> new Lars(params, manager, momentum, nesterov, weightDecay, LARS_TRUST);
            case "adamw" -> new AdamW(params, manager, momentum, 0.999, AdamW.EPS, weightDecay);
            default -> throw new IllegalArgumentException("optimizer: unknown value '" + name + "' " + NAMES);
        };
    }

    /**
     * The named optimiser over {@code params}, AdamW with {@code beta2}, behind gradient-norm clipping when
     * {@code clipGrad} is positive.
     *
     * @param momentum sgd and lars: momentum; adamw: beta1
     * @param beta2    adamw's second-moment rate (ignored by sgd and lars)
     * @param clipGrad the largest global gradient L2 norm, 0 = no clipping
     */
    public static Optimizer create(String name, List<Parameter> params, NDManager manager, double momentum,
                                   boolean nesterov, double weightDecay, double beta2, double clipGrad) {
        Optimizer inner = name.equals("adamw") ? new AdamW(params, manager, momentum, beta2, AdamW.EPS, weightDecay)
                : create(name, params, manager, momentum, nesterov, weightDecay);
        return clipGrad > 0 ? new GradClipping(inner, params, clipGrad, manager) : inner;
    }
}
