package org.selfsup.method;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Map;
import org.selfsup.model.Networks;

/**
 * A base method without predictor or target whose loss is a weighted sum of named terms of the two views'
 * projections (VICReg, Barlow Twins): its own loss on views v1, v2 logs each unweighted term, and its two-view
 * loss for the strategies is the same sum between any two views. Each method supplies the terms, their weights
 * and its one-way pull.
 */
abstract class WeightedTermsObjective implements PairwiseObjective {
    /** The unweighted terms of projections {@code za}, {@code zb} as scalars, in {@link #termNames} order. */
    abstract NDArray[] unweightedTerms(Networks nets, NDArray za, NDArray zb);

    /** The loss: the terms weighted by the method's options and summed. */
    abstract NDArray weighted(Networks nets, NDArray[] terms);

    /** The logged names of the terms. */
    abstract List<String> termNames();

    @Override
    public final LossOutput loss(Networks nets, Map<String, NDArray> views, StepContext step) {
        NDArray z1 = nets.project(Views.get(views, "v1", name()));
        NDArray z2 = nets.project(Views.get(views, "v2", name()));
        NDArray[] t = unweightedTerms(nets, z1, z2);
        LossOutput.Builder out = LossOutput.of(weighted(nets, t));
        for (int i = 0; i < t.length; i++) {
            out.term(termNames().get(i), t[i].stopGradient());
        }
        return out.collapseStd(z1).build();
    }

    /** No predictor: the projection is compared. */
    @Override
    public final NDArray output(Networks nets, NDArray projection) {
        return projection;
    }

    /** The method's loss between the two views' projections, gradients into both. */
    @Override
    public final NDArray symmetric(Networks nets, Branch a, Branch b) {
        return weighted(nets, unweightedTerms(nets, a.projection(), b.projection()));
    }
}
