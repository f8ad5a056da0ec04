package org.selfsup.method;

import ai.djl.ndarray.NDArray;
import org.selfsup.model.Networks;

/**
 * The symmetric BYOL loss between DSSL-BYOL's two standard views as DSSL's BYOL code computes it
 * (methods.md §3.5, first line): {@code L_S = 0.5 D(p(x1), z'(x2)) + 0.5 D(p(x2), z'(x1))} with p the online
 * prediction, z' the EMA target's projection and D the negative cosine (§1.1). It is the whole of
 * {@code dssl-byol-baseline} and the first term of {@code dssl-byol}.
 *
 * @param y1   online projection of x1 (for the diagnostics)
 * @param y2   online projection of x2
 * @param loss L_S
 */
record ByolPair(NDArray y1, NDArray y2, NDArray loss) {

    /**
     * Runs the online network on x1 and x2, then the target on x1 and x2 (each view its own pass, so
     * BatchNorm statistics are per view; the order of DSSL's code).
     */
    static ByolPair forward(Networks nets, NDArray x1, NDArray x2) {
        NDArray y1 = nets.project(x1);
        NDArray y2 = nets.project(x2);
        NDArray p1 = nets.predict(y1);
        NDArray p2 = nets.predict(y2);
        NDArray t1 = nets.targetProject(x1);
        NDArray t2 = nets.targetProject(x2);
        return new ByolPair(y1, y2, Losses.symmetricNegativeCosine(p1, t1, p2, t2));
    }
}
