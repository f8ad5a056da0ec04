package org.selfsup.method;

import static org.selfsup.method.Losses.normalizedMse;

import ai.djl.ndarray.NDArray;
import java.util.Map;
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
    public LossOutput loss(Networks nets, Map<String, NDArray> views, StepContext step) {
        NDArray v1 = Views.get(views, "v1", name());
        NDArray v2 = Views.get(views, "v2", name());
        NDArray y1 = nets.project(v1);
        NDArray q1 = nets.predict(y1);
        NDArray q2 = nets.predict(nets.project(v2));
        NDArray t1 = nets.targetProject(v1);
        NDArray t2 = nets.targetProject(v2);
        NDArray total = normalizedMse(q1, t2).add(normalizedMse(q2, t1)).mean();
        return LossOutput.of(total).collapseStd(y1).build();
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
