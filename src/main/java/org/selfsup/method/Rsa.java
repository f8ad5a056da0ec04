package org.selfsup.method;

import ai.djl.ndarray.NDArray;
import java.util.Map;
import org.selfsup.method.PairwiseObjective.Branch;
import org.selfsup.model.Networks;
import org.selfsup.model.Scalars;
import org.selfsup.util.MetricKeys;

/**
 * RSA as a strategy (docs/methods.md §2.4, §8): the online network sees only the aggressive views a1, a2, the
 * keys come from the weak views w1, w2 (the EMA target's projections, or the detached online ones for a base
 * without a target). With P(a, k) the base's pull of a's output towards k (no gradient through k):
 * <pre>
 * L_aw = P(a1, k(w2)) + P(a2, k(w1))                 aggressive to the OTHER weak view's key
 * L_aa = P(a1, sg o(a2)) + P(a2, sg o(a1))           aggressive to the other aggressive view's output
 * L    = mean(beta L_aa + (1 - beta) L_aw)           beta(k) from {@link RsaBeta}
 * </pre>
 * {@code rsa} is RSA's BYOL ({@link Byol}: P the per-sample normalised MSE, o the prediction) with this strategy.
 */
public final class Rsa extends StrategyMethod {
    /** The strategy: weak views w1, w2 and aggressive a1, a2 of the rsa plan. */
    public static final HeavyStrategy STRATEGY = HeavyStrategy.named("rsa")
            .summary("RSA: aggressive views to the weak views' keys, plus a decaying aggressive-pair term")
            .views("w1", "w2", "a1", "a2").plan("rsa")
            .option(MethodOption.unitInterval("beta", 0.4, "RSA beta0: initial weight of the "
                    + "aggressive-aggressive pair, decayed by a half cosine to 0."))
            .loss((method, base, o) -> new Rsa(method, base, o.get("beta")));

    /** RSA: BYOL as in RSA's code with the RSA strategy. */
    public static final MethodDefinition DEFINITION = STRATEGY.alias("rsa",
            "RSA: aggressive views to the weak views' target, plus a decaying aggressive-pair term",
            Byol.DEFINITION, Map.of());

    private final double beta0;

    private Rsa(MethodDefinition definition, PairwiseObjective base, double beta0) {
        super(definition, base);
        this.beta0 = beta0;
    }

    @Override
    public LossOutput loss(Networks nets, Map<String, NDArray> views, StepContext step) {
        NDArray w1 = Views.get(views, "w1", name());
        NDArray w2 = Views.get(views, "w2", name());
        NDArray a1 = Views.get(views, "a1", name());
        NDArray a2 = Views.get(views, "a2", name());
        // Four separate forward passes (per-view BN statistics), online first as in RSA's code.
        NDArray y1 = nets.project(a1);
        NDArray y2 = nets.project(a2);
        Branch b1 = new Branch(y1, base.output(nets, y1), null);
        Branch b2 = new Branch(y2, base.output(nets, y2), null);
        NDArray z1 = base.key(nets, w1, null);
        NDArray z2 = base.key(nets, w2, null);

        NDArray lossAw = base.pull(nets, b1, z2).add(base.pull(nets, b2, z1));
        NDArray lossAa = base.pull(nets, b1, b2.output().stopGradient())
                .add(base.pull(nets, b2, b1.output().stopGradient()));
        double beta = RsaBeta.value(beta0, step.step(), step.totalSteps());
        // beta L_aa + (1 - beta) L_aw = L_aw + beta (L_aa - L_aw): beta changes every step; it is filled on the
        // device (Scalars: autograd keeps it), float32 (a double scalar would make a 0-d loss float64)
        NDArray total = lossAw.add(lossAa.sub(lossAw).mul(Scalars.of(lossAw.getManager(), (float) beta))).mean();
        return LossOutput.of(total).term("loss_aw", lossAw.mean()).term("loss_aa", lossAa.mean())
                .shift("a1", Losses.meanCosine(y1, z1)).shift("a2", Losses.meanCosine(y2, z2))
                .schedule(MetricKeys.BETA, beta)
                .collapseStd(y1).build();
    }
}
