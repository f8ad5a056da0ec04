package org.selfsup.method;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import java.util.List;
import org.selfsup.model.Networks;

/**
 * VICReg (Bardes, Ponce and LeCun, ICLR 2022): invariance, variance and covariance terms on the two views'
 * expander outputs {@code z, z'} (N x d), no predictor, no target, no negatives. As in the paper's
 * Algorithm 1:
 * <pre>
 * s(z, z') = mean over N*d of (z - z')^2                       (F.mse_loss)
 * v(z)     = mean_j relu(1 - sqrt(Var_j(z) + 1e-4))             (Var unbiased, over the batch)
 * c(z)     = sum_{i != j} C(z)_ij^2 / d,  C(z) = (z - mean)^T (z - mean) / (N - 1)
 * L        = lambda s(z, z') + mu [v(z) + v(z')] + nu [c(z) + c(z')]
 * </pre>
 * lambda = mu = 25, nu = 1 (the paper's §4.1 and Algorithm 1). The released code halves the variance term
 * ({@code std_loss = mean(relu(1 - std_x)) / 2 + mean(relu(1 - std_y)) / 2}); we follow the paper's formula
 * (docs/methods.md, VICReg). Expander: 3 layers of 8192, {@code Linear+BN+ReLU, Linear+BN+ReLU,
 * Linear(no bias)}, as the released {@code Projector}.
 */
public final class VicReg extends WeightedTermsObjective {
    /** VICReg: views v1, v2 of the byol plan (the paper's views are BYOL's), no target. */
    public static final MethodDefinition DEFINITION = MethodDefinition.named("vicreg")
            .summary("VICReg: invariance + variance + covariance regularisation of the two views' embeddings")
            .views("v1", "v2").defaultPlan("byol")
            .heads(HeadCatalogue.VICREG)
            .option(MethodOption.positive("vicreg-invariance", 25, "VICReg invariance (MSE) weight lambda "
                    + "(25 in the paper)."))
            .option(MethodOption.positive("vicreg-variance", 25, "VICReg variance (std hinge) weight mu "
                    + "(25 in the paper)."))
            .option(MethodOption.positive("vicreg-covariance", 1, "VICReg covariance weight nu (1 in the paper)."))
            .loss(o -> new VicReg(o.get("vicreg-invariance"), o.get("vicreg-variance"), o.get("vicreg-covariance")));

    private static final List<String> TERMS = List.of("loss_inv", "loss_var", "loss_cov");

    /** Epsilon under the square root of the variance term (the paper's 1e-4). */
    public static final float STD_EPS = 1e-4f;

    private final double invariance;
    private final double variance;
    private final double covariance;

    public VicReg(double invariance, double variance, double covariance) {
        if (!(invariance > 0 && variance > 0 && covariance > 0)) {
            throw new IllegalArgumentException("VICReg weights must be positive");
        }
        this.invariance = invariance;
        this.variance = variance;
        this.covariance = covariance;
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
     * {@code lambda s(z_a, sg k) + mu v(z_a) + nu c(z_a)}: the invariance term towards the detached key, and the
     * variance and covariance terms of the pulled branch only (the key's branch is regularised where it is
     * itself trained; docs/methods.md §8).
     */
    @Override
    public NDArray pull(Networks nets, Branch a, NDArray key) {
        NDArray z = a.projection();
        NDArray invariance = z.sub(key.stopGradient()).square().mean();
        NDArray[] vc = varianceCovariance(nets, z);
        return weighted(nets, new NDArray[] {invariance, vc[0], vc[1]});
    }

    /** {@code lambda t[0] + mu t[1] + nu t[2]}. */
    @Override
    NDArray weighted(Networks nets, NDArray[] t) {
        return t[0].mul(nets.constant((float) invariance, t[0]))
                .add(t[1].mul(nets.constant((float) variance, t[1])))
                .add(t[2].mul(nets.constant((float) covariance, t[2])));
    }

    /**
     * The three unweighted terms {s(z1, z2), v(z1) + v(z2), c(z1) + c(z2)} as scalars.
     *
     * @param nets for device constants only
     */
    static NDArray[] terms(Networks nets, NDArray z1, NDArray z2) {
        NDArray invariance = z1.sub(z2).square().mean();
        NDArray[] a = varianceCovariance(nets, z1);
        NDArray[] b = varianceCovariance(nets, z2);
        return new NDArray[] {invariance, a[0].add(b[0]), a[1].add(b[1])};
    }

    /** {v(z), c(z)} of one branch. */
    private static NDArray[] varianceCovariance(Networks nets, NDArray z) {
        long n = z.getShape().get(0);
        long d = z.getShape().get(1);
        NDArray x = z.sub(z.mean(new int[] {0}, true));
        NDArray invNm1 = nets.constant(1f / (n - 1), z);
        NDArray var = x.square().sum(new int[] {0}).mul(invNm1); // unbiased, = diag C(z)
        NDArray std = var.add(nets.constant(STD_EPS, var)).sqrt();
        NDArray v = Activation.relu(std.onesLike().sub(std)).mean();
        NDArray cov = x.transpose().matMul(x).mul(invNm1);
        NDArray offDiagonal = cov.square().sum().sub(var.square().sum());
        NDArray c = offDiagonal.mul(nets.constant(1f / d, offDiagonal));
        return new NDArray[] {v, c};
    }
}
