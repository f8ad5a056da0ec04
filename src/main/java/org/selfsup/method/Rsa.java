package org.selfsup.method;

import static org.selfsup.method.Losses.normalizedMse;

import ai.djl.ndarray.NDArray;
import java.util.Map;
import org.selfsup.model.Networks;
import org.selfsup.util.MetricKeys;

/**
 * RSA (methods.md §2.4): the online network sees only the aggressive views a1, a2, the EMA target only
 * the weak views w1, w2. Per sample
 * {@code l = beta L_aa + (1 - beta) L_aw} with
 * {@code L_aw = d(q1, z2) + d(q2, z1)} (aggressive to the OTHER weak view's target projection) and
 * {@code L_aa = d(q1, sg q2) + d(q2, sg q1)} (aggressive to the other aggressive view's online
 * prediction, stop-gradient), d the normalised MSE, beta(k) from {@link RsaBeta}; batch loss = mean.
 */
public final class Rsa implements SslMethod {
    /** RSA: weak views w1, w2 and aggressive a1, a2 of the rsa plan, an EMA target, RSA's heads. */
    public static final MethodDefinition DEFINITION = MethodDefinition.named("rsa")
            .summary("RSA: aggressive views to the weak views' target, plus a decaying aggressive-pair term")
            .views("w1", "w2", "a1", "a2").withTarget().defaultPlan("rsa")
            .heads(HeadCatalogue.RSA_CODE)
            .option(MethodOption.unitInterval("beta", 0.4, "RSA beta0: initial weight of the "
                    + "aggressive-aggressive pair, decayed by a half cosine to 0."))
            .loss(o -> new Rsa(o.get("beta")));

    private final double beta0;

    /** @param beta0 initial aggressive-pair weight (RSA default 0.4, CIFAR-100 0.3) */
    public Rsa(double beta0) {
        this.beta0 = beta0;
    }

    public Rsa() {
        this(0.4);
    }

    @Override
    public MethodDefinition definition() {
        return DEFINITION;
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
        NDArray q1 = nets.predict(y1);
        NDArray q2 = nets.predict(y2);
        NDArray z1 = nets.targetProject(w1);
        NDArray z2 = nets.targetProject(w2);

        NDArray lossAw = normalizedMse(q1, z2).add(normalizedMse(q2, z1));
        NDArray lossAa = normalizedMse(q1, q2.stopGradient()).add(normalizedMse(q2, q1.stopGradient()));
        double beta = RsaBeta.value(beta0, step.step(), step.totalSteps());
        // beta L_aa + (1 - beta) L_aw = L_aw + beta (L_aa - L_aw): beta changes every step, so this one
        // scalar is the only host value sent per step.
        NDArray total = lossAw.add(lossAa.sub(lossAw).mul(beta)).mean();
        return LossOutput.of(total).term("loss_aw", lossAw.mean()).term("loss_aa", lossAa.mean())
                .shift("a1", Losses.meanCosine(y1, z1)).shift("a2", Losses.meanCosine(y2, z2))
                .schedule(MetricKeys.BETA, beta)
                .collapseStd(y1).build();
    }
}
