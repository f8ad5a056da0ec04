package org.selfsup.method;

import ai.djl.ndarray.NDArray;
import org.selfsup.model.Networks;

/**
 * The pairwise objective of SimSiam and of DSSL's BYOL code (§3.3-3.5): predictions compared with keys by the
 * negative cosine D, symmetrised 0.5/0.5. The two differ in their keys (SimSiam's online projections, BYOL's EMA
 * target), their heads and their views, which their definitions declare.
 */
abstract class NegativeCosineObjective implements PairwiseObjective {
    @Override
    public NDArray output(Networks nets, NDArray projection) {
        return nets.predict(projection);
    }

    /** {@code 0.5 D(p_a, k_b) + 0.5 D(p_b, k_a)}. */
    @Override
    public NDArray symmetric(Networks nets, Branch a, Branch b) {
        return Losses.symmetricNegativeCosine(a.output(), a.key(), b.output(), b.key());
    }

    /** {@code D(p_a, sg k)}, a scalar. */
    @Override
    public NDArray pull(Networks nets, Branch a, NDArray key) {
        return Losses.negativeCosine(a.output(), key);
    }
}
