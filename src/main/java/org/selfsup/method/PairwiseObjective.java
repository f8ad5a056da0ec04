package org.selfsup.method;

import ai.djl.ndarray.NDArray;
import java.util.Map;
import org.selfsup.model.Networks;

/**
 * The pairwise objective of a base method: what a heavy-augmentation strategy ({@link HeavyStrategy}) needs
 * to decide which views meet, in which direction the gradient flows and with what weight, while the base
 * method decides how two views are compared (docs/methods.md §8). A base method is also a whole method
 * ({@link SslMethod#loss}, its own two-view loss on its own views: the strategy {@code none}).
 */
public interface PairwiseObjective extends SslMethod {
    /**
     * One view's online side: its projection, the output the loss compares (the prediction for a method with a
     * predictor, else the projection), and its key when one was made.
     *
     * @param projection the online projection y = g(f(x))
     * @param output     what the loss compares on the online side
     * @param key        what another view's output is compared with, or null when not needed
     */
    record Branch(NDArray projection, NDArray output, NDArray key) {}

    /** The output of a view with online projection {@code projection}: the prediction, or the projection itself. */
    NDArray output(Networks nets, NDArray projection);

    /**
     * The key of view {@code x}, towards which another view is pulled: the EMA target's projection for a method
     * with a target (a fresh target pass), otherwise the online projection (pulls detach it).
     *
     * @param projection the online projection of {@code x} when already computed, else null (then an online pass
     *                   is made and detached)
     */
    default NDArray key(Networks nets, NDArray x, NDArray projection) {
        if (usesTarget()) {
            return nets.targetProject(x);
        }
        return projection != null ? projection : nets.project(x).stopGradient();
    }

    /**
     * The method on its own two views (the strategy {@code none}): {@link #symmetric} between them, with the
     * collapse indicator on the first view's projections. Each view is its own forward pass (per-view
     * BatchNorm statistics): both projections, then both outputs, then the keys (online before target, the
     * order of DSSL's code).
     */
    @Override
    default LossOutput loss(Networks nets, Map<String, NDArray> views, StepContext step) {
        NDArray x1 = Views.get(views, views().get(0), name());
        NDArray x2 = Views.get(views, views().get(1), name());
        NDArray y1 = nets.project(x1);
        NDArray y2 = nets.project(x2);
        NDArray o1 = output(nets, y1);
        NDArray o2 = output(nets, y2);
        Branch a = new Branch(y1, o1, key(nets, x1, y1));
        Branch b = new Branch(y2, o2, key(nets, x2, y2));
        return LossOutput.of(symmetric(nets, a, b)).collapseStd(y1).build();
    }

    /** The method's own two-view loss between views {@code a} and {@code b} (a scalar), gradients into both. */
    NDArray symmetric(Networks nets, Branch a, Branch b);

    /**
     * View {@code a} pulled towards {@code key}, no gradient through the key: a scalar, or one value per sample
     * whose mean is the loss (the strategies add such terms before taking the mean).
     */
    NDArray pull(Networks nets, Branch a, NDArray key);
}
