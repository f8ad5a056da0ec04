package org.selfsup.method;

import ai.djl.ndarray.NDArray;
import java.util.Map;
import org.selfsup.method.PairwiseObjective.Branch;
import org.selfsup.model.Networks;

/**
 * The online side of the four views of the symmetric and DSSL strategies: standard views x1, x2 and the heavy
 * views x11 = t̂(x1), x21 = t̂(x2). Each view is its own forward pass (per-view BatchNorm statistics): the four
 * projections first, then the four outputs, the order of DSSL's code.
 */
record HeavyViews(NDArray y1, NDArray y2, NDArray y11, NDArray y21,
                  NDArray o1, NDArray o2, NDArray o11, NDArray o21) {

    /** Runs the four online forward passes of {@code method} through {@code base}. */
    static HeavyViews forward(Networks nets, PairwiseObjective base, Map<String, NDArray> views, String method) {
        NDArray y1 = nets.project(Views.get(views, "x1", method));
        NDArray y2 = nets.project(Views.get(views, "x2", method));
        NDArray y11 = nets.project(Views.get(views, "x11", method));
        NDArray y21 = nets.project(Views.get(views, "x21", method));
        return new HeavyViews(y1, y2, y11, y21, base.output(nets, y1), base.output(nets, y2),
                base.output(nets, y11), base.output(nets, y21));
    }

    /** The branch of x1 with its key {@code key}. */
    Branch x1(NDArray key) {
        return new Branch(y1, o1, key);
    }

    Branch x2(NDArray key) {
        return new Branch(y2, o2, key);
    }

    Branch x11(NDArray key) {
        return new Branch(y11, o11, key);
    }

    Branch x21(NDArray key) {
        return new Branch(y21, o21, key);
    }

    /**
     * The diagnostics of these views added to {@code out}: the semantic shift (mean cosine of each heavy view's
     * projection with its source view's) and the collapse indicator on the first standard view's projections.
     */
    LossOutput.Builder diagnostics(LossOutput.Builder out) {
        return out.shift("x11", Losses.meanCosine(y11, y1)).shift("x21", Losses.meanCosine(y21, y2)).collapseStd(y1);
    }
}
