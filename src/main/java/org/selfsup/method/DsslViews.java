package org.selfsup.method;

import ai.djl.ndarray.NDArray;
import java.util.Map;
import org.selfsup.model.Networks;

/**
 * Online projections z and predictions p of DSSL's four views: standard views x1, x2 and the heavy views
 * x11 = t̂(x1), x21 = t̂(x2). Each view is its own forward pass (per-view BatchNorm statistics).
 */
record DsslViews(NDArray z1, NDArray z2, NDArray z11, NDArray z21,
                 NDArray p1, NDArray p2, NDArray p11, NDArray p21) {

    /** Runs the four online forward passes of {@code method}. */
    static DsslViews forward(Networks nets, Map<String, NDArray> views, String method) {
        NDArray z1 = nets.project(Views.get(views, "x1", method));
        NDArray z2 = nets.project(Views.get(views, "x2", method));
        NDArray z11 = nets.project(Views.get(views, "x11", method));
        NDArray z21 = nets.project(Views.get(views, "x21", method));
        return new DsslViews(z1, z2, z11, z21, nets.predict(z1), nets.predict(z2), nets.predict(z11), nets.predict(z21));
    }

    /**
     * The diagnostics of DSSL's views added to {@code out}: the semantic shift (mean cosine of each heavy view's
     * projection with its source view's) and the collapse indicator on the first standard view's projections.
     */
    LossOutput.Builder diagnostics(LossOutput.Builder out) {
        return out.shift("x11", Losses.meanCosine(z11, z1)).shift("x21", Losses.meanCosine(z21, z2)).collapseStd(z1);
    }
}
