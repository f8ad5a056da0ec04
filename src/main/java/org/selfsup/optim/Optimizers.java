package org.selfsup.optim;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.util.List;

/** The optimisers a configuration can name, by name: one place for pretraining and the linear probe. */
public final class Optimizers {
    /** Optimiser names, as {@code optimizer} accepts them. */
    public static final List<String> NAMES = List.of("sgd", "lars");

    /** LARS trust coefficient (0.001 in RSA's code). */
    static final double LARS_TRUST = 0.001;

    private Optimizers() {}

    /**
     * The named optimiser over {@code params}.
     *
     * @param name        {@code sgd} (PyTorch semantics) or {@code lars}
     * @param params      the parameters it updates
     * @param manager     where its state (momentum buffers) lives
     * @param momentum    momentum
     * @param nesterov    Nesterov momentum
     * @param weightDecay weight decay (sgd: every parameter; lars: parameters with more than one dimension)
     * @throws IllegalArgumentException for an unknown name (configuration validation rejects it first)
     */
    public static Optimizer create(String name, List<Parameter> params, NDManager manager, double momentum,
                                   boolean nesterov, double weightDecay) {
        return switch (name) {
            case "sgd" -> new Sgd(params, manager, momentum, nesterov, weightDecay);
            case "lars" -> new Lars(params, manager, momentum, nesterov, weightDecay, LARS_TRUST);
            default -> throw new IllegalArgumentException("optimizer: unknown value '" + name + "' " + NAMES);
        };
    }
}
