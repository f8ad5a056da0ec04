package org.selfsup.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import org.selfsup.model.Networks;

/**
 * SimCLR (Chen et al., ICML 2020): the NT-Xent loss of the two views' projections, no predictor, no
 * target. With {@code z} the 2N L2-normalised projections of views v1 then v2 and
 * {@code s_ij = z_i . z_j / tau}, each sample's positive is the other view of its image and every other
 * sample of the 2N is a negative:
 * <pre>
 * L = 1/(2N) sum_i -log( exp(s_i,pos(i)) / sum_{k != i} exp(s_ik) ),   pos(i) = i + N mod 2N
 * </pre>
 * tau = 0.5, the paper's CIFAR-10 setting (its appendix B.9). Heads as in the paper: a 2-layer projector
 * g(h) = W2 ReLU(W1 h), hidden width = the feature width D, output 128, no BatchNorm (SimCLR v1).
 */
public final class SimClr implements PairwiseObjective {
    /** SimCLR: views v1, v2 of the simsiam plan (crop, flip, colour jitter, grey: the paper's CIFAR views). */
    public static final MethodDefinition DEFINITION = MethodDefinition.named("simclr")
            .summary("SimCLR: NT-Xent contrastive loss between the two views, other images as negatives")
            .views("v1", "v2").defaultPlan("simsiam")
            .heads(HeadCatalogue.SIMCLR_PAPER)
            .option(MethodOption.positive("temperature", 0.5, "SimCLR NT-Xent temperature tau (0.5 in the "
                    + "paper's CIFAR-10 setting)."))
            .loss(o -> new SimClr(o.get("temperature")));

    /** Sample i of the 2N is masked out of its own denominator with this logit (exp underflows to 0). */
    private static final float SELF_LOGIT = -1e9f;

    private final double temperature;

    /** @param temperature the NT-Xent temperature tau (positive) */
    public SimClr(double temperature) {
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("temperature must be positive: " + temperature);
        }
        this.temperature = temperature;
    }

    @Override
    public MethodDefinition definition() {
        return DEFINITION;
    }

    /** No predictor: the projection is compared. */
    @Override
    public NDArray output(Networks nets, NDArray projection) {
        return projection;
    }

    /** NT-Xent of the two views' projections, gradients into both. */
    @Override
    public NDArray symmetric(Networks nets, Branch a, Branch b) {
        return ntXent(nets, a.projection(), b.projection());
    }

    /**
     * InfoNCE of a's projections (queries) against the detached keys, with the temperature tau: each query's
     * positive is its own image's key, the other keys of the batch are its negatives (MoCo's one-way form of
     * NT-Xent; docs/methods.md §8).
     */
    @Override
    public NDArray pull(Networks nets, Branch a, NDArray key) {
        return Losses.infoNce(nets, a.projection(), key, temperature);
    }

    /** The NT-Xent loss of projections {@code y1}, {@code y2} of the two views (a scalar). */
    private NDArray ntXent(Networks nets, NDArray y1, NDArray y2) {
        NDArray z1 = Losses.normalize(y1);
        NDArray z2 = Losses.normalize(y2);
        NDArray z = NDArrays.concat(new NDList(z1, z2), 0);
        NDArray invTau = nets.constant((float) (1 / temperature), z);
        NDArray logits = z.matMul(z.transpose()).mul(invTau);
        // a sample is not its own negative: push its self-similarity out of the denominator
        NDArray self = z.getManager().eye((int) z.getShape().get(0));
        NDArray masked = logits.add(self.mul(nets.constant(SELF_LOGIT, self)));
        NDArray logDenominator = Losses.logSumExpRows(masked); // log sum_k exp(s_ik)
        NDArray positive = z1.mul(z2).sum(new int[] {1}).mul(invTau); // s_i,pos(i), the same for both views
        return logDenominator.sub(NDArrays.concat(new NDList(positive, positive), 0)).mean();
    }
}
