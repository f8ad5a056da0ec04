package org.selfsup.method;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Map;
import org.selfsup.model.Networks;

/**
 * A self-supervised method: the views it consumes, the networks it needs, and its loss. Nothing else:
 * the loop, optimiser, EMA and logging belong to the trainer.
 */
public interface SslMethod {
    /** The method's declaration (name, views, target, default plan, heads, options). */
    MethodDefinition definition();

    /** Registry name, e.g. {@code "rsa"}. */
    default String name() {
        return definition().name();
    }

    /** Names of the views this method reads; the view plan must provide each of them. */
    default List<String> views() {
        return definition().views();
    }

    /** Whether the method needs an EMA target network (BYOL, RSA, DSSL-BYOL). */
    default boolean usesTarget() {
        return definition().usesTarget();
    }

    /**
     * The loss for one batch.
     *
     * @param nets  forward passes through the online/target networks
     * @param views normalised float32 NCHW batches by view name
     * @param step  position in training, for schedules such as RSA's beta(k)
     */
    LossOutput loss(Networks nets, Map<String, NDArray> views, StepContext step);
}
