package org.selfsup.method;

import static org.selfsup.method.Losses.normalizedMse;

import ai.djl.ndarray.NDArray;
import org.selfsup.model.Networks;

/**
 * BYOL as in RSA's code (methods.md §2.4, last note): {@code l = d(q(v1), z'(v2)) + d(q(v2), z'(v1))},
 * mean over the batch, with d the normalised MSE and z' the EMA target's projection.
 */
public final class Byol implements PairwiseObjective {
    /** BYOL as in RSA's code: views v1, v2 of the byol plan, an EMA target, RSA's heads. */
    public static final MethodDefinition DEFINITION = MethodDefinition.named("byol")
            .summary("BYOL (RSA's code): normalised MSE between each view's prediction and the other's target")
            .views("v1", "v2").withTarget().defaultPlan("byol")
            .heads(HeadCatalogue.RSA_CODE)
            .loss(o -> new Byol());

    @Override
    public MethodDefinition definition() {
        return DEFINITION;
    }

    @Override
    public NDArray output(Networks nets, NDArray projection) {
        return nets.predict(projection);
    }

    /** {@code mean(d(q_a, z'_b) + d(q_b, z'_a))}, as {@link #loss}. */
    @Override
    public NDArray symmetric(Networks nets, Branch a, Branch b) {
        return pull(nets, a, b.key()).add(pull(nets, b, a.key())).mean();
    }

    /** The per-sample normalised MSE {@code d(q_a, sg k)} (N values). */
    @Override
    public NDArray pull(Networks nets, Branch a, NDArray key) {
        return normalizedMse(a.output(), key.stopGradient());
    }
}
