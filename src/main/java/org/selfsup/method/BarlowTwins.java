package org.selfsup.method;

import ai.djl.ndarray.NDArray;
import java.util.List;
import org.selfsup.model.Networks;

/**
 * Barlow Twins (Zbontar et al., ICML 2021): the cross-correlation matrix of the two views' standardised
 * projections is pushed towards the identity. With {@code zA, zB} (N x d) each standardised per dimension
 * over the batch (BatchNorm1d without affine, training mode: biased variance, eps 1e-5, as the released
 * code's {@code self.bn}):
 * <pre>
 * C_ij = sum_b zA_bi zB_bj / N
 * L    = sum_i (1 - C_ii)^2 + lambda sum_{i != j} C_ij^2
 * </pre>
 * lambda = 5e-3 (the paper's §2 and Table/figure of its ablation; the released code's default is
 * 0.0051). Projector: 3 layers of 8192, {@code Linear(no bias)+BN+ReLU} twice then {@code Linear(no bias)}.
 * The paper trains with LARS (set {@code optimizer lars} in the preset); the loss does not depend on it.
 */
public final class BarlowTwins extends WeightedTermsObjective {
    /** Barlow Twins: views v1, v2 of the byol plan (the paper uses BYOL's augmentations), no target. */
    public static final MethodDefinition DEFINITION = MethodDefinition.named("barlow-twins")
            .summary("Barlow Twins: cross-correlation of the two views' standardised projections towards identity")
            .views("v1", "v2").defaultPlan("byol")
            .heads(HeadCatalogue.BARLOW_TWINS)
            .option(MethodOption.positive("barlow-lambda", 5e-3, "Barlow Twins off-diagonal weight lambda "
                    + "(5e-3 in the paper)."))
            .loss(o -> new BarlowTwins(o.get("barlow-lambda")));

    private static final List<String> TERMS = List.of("loss_on_diag", "loss_off_diag");

    /** BatchNorm1d's epsilon, used by the per-dimension standardisation. */
    public static final float BN_EPS = 1e-5f;

    private final double lambda;

    public BarlowTwins(double lambda) {
        if (!(lambda > 0)) {
            throw new IllegalArgumentException("lambda must be positive: " + lambda);
        }
        this.lambda = lambda;
    }

    @Override
    public MethodDefinition definition() {
        return DEFINITION;
    }

    @Override
    NDArray[] unweightedTerms(Networks nets, NDArray za, NDArray zb) {
        return terms(nets, za, zb);
    }

    @Override
    List<String> termNames() {
        return TERMS;
    }

    /**
     * The Barlow Twins loss of a's projections against the detached key's: the cross-correlation moves towards
     * the identity through a's branch only (docs/methods.md §8).
     */
    @Override
    public NDArray pull(Networks nets, Branch a, NDArray key) {
        return weighted(nets, terms(nets, a.projection(), key.stopGradient()));
    }

    /** {@code t[0] + lambda t[1]}. */
    @Override
    NDArray weighted(Networks nets, NDArray[] t) {
        return t[0].add(t[1].mul(nets.constant((float) lambda, t[1])));
    }

    /** The unweighted terms {sum_i (1 - C_ii)^2, sum_{i != j} C_ij^2} as scalars. */
    static NDArray[] terms(Networks nets, NDArray z1, NDArray z2) {
        long n = z1.getShape().get(0);
        NDArray a = standardize(nets, z1);
        NDArray b = standardize(nets, z2);
        NDArray c = a.transpose().matMul(b).mul(nets.constant(1f / n, a));
        NDArray diagonal = a.mul(b).sum(new int[] {0}).mul(nets.constant(1f / n, a)); // C_ii
        NDArray onDiag = diagonal.onesLike().sub(diagonal).square().sum();
        NDArray offDiag = c.square().sum().sub(diagonal.square().sum());
        return new NDArray[] {onDiag, offDiag};
    }

    /** Per-dimension standardisation over the batch: BatchNorm1d(affine=False) in training mode. */
    static NDArray standardize(Networks nets, NDArray z) {
        NDArray x = z.sub(z.mean(new int[] {0}, true));
        NDArray var = x.square().mean(new int[] {0}, true); // biased, as BatchNorm normalises
        return x.div(var.add(nets.constant(BN_EPS, var)).sqrt());
    }
}
