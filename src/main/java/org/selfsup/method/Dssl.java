package org.selfsup.method;

import static org.selfsup.method.Losses.average;

import ai.djl.ndarray.NDArray;
import java.util.Map;
import org.selfsup.method.PairwiseObjective.Branch;
import org.selfsup.model.Networks;

/**
 * DSSL as a strategy (docs/methods.md §3.3-3.5, §8): the base method's own loss S on the standard views x1, x2,
 * and each heavy view pulled towards the key of its own source view, in that direction only
 * (P(a, k): a's output towards k, no gradient through k):
 * <pre>
 * L_S   = S(x1, x2)
 * L_A   = average(P(x11, k(x1)), P(x21, k(x2)))       heavy -> its own standard view
 * L_rev = average(P(x1, k(x11)), P(x2, k(x21)))       standard -> heavy, the CIFAR code's "soft" reverse term
 * L     = L_S + (1 - lambda) L_A + lambda L_rev        (lambda = 0: L_S + L_A, L_rev not computed)
 * </pre>
 * For a base with an EMA target the keys of L_A are a second target pass on x1 and x2, as DSSL's BYOL code
 * does. {@code dssl-simsiam} is SimSiam with this strategy (lambda 0.1, the CIFAR code), {@code dssl-byol} the
 * BYOL of DSSL's code with lambda fixed at 0 (its ImageNet code has no reverse term).
 */
public final class Dssl extends StrategyMethod {
    /** The strategy: standard x1, x2 and heavy x11, x21 of the base's heavy plan. */
    public static final HeavyStrategy STRATEGY = HeavyStrategy.named("dssl")
            .summary("DSSL: the base loss on the standard views, each heavy view pulled one way to its own")
            .views("x1", "x2", "x11", "x21")
            .option(MethodOption.unitInterval("soft-loss-rate", 0.1, "DSSL lambda: weight of the reverse "
                    + "(standard -> heavy) term; 0 = purely directional."))
            .loss((method, base, o) -> new Dssl(method, base, o.get("soft-loss-rate")));

    /** DSSL on SimSiam (the CIFAR and ImageNet SimSiam code). */
    public static final MethodDefinition SIMSIAM = STRATEGY.alias("dssl-simsiam",
            "DSSL on SimSiam: symmetric loss on standard views, heavy views pulled to their own",
            SimSiam.DEFINITION, Map.of());

    /** DSSL on the BYOL of DSSL's code, without the reverse term (its ImageNet {@code byol_harder-aug} code). */
    public static final MethodDefinition BYOL = STRATEGY.alias("dssl-byol",
            "DSSL on BYOL: BYOL loss on standard views, heavy views to their own view's target",
            DsslByolBaseline.DEFINITION, Map.of("soft-loss-rate", 0.0));

    private final double lambda;

    private Dssl(MethodDefinition definition, PairwiseObjective base, double softLossRate) {
        super(definition, base);
        this.lambda = softLossRate;
    }

    @Override
    public LossOutput loss(Networks nets, Map<String, NDArray> views, StepContext step) {
        HeavyViews v = HeavyViews.forward(nets, base, views, name());
        NDArray x1 = views.get("x1");
        NDArray x2 = views.get("x2");
        NDArray lossS = base.symmetric(nets, v.x1(base.key(nets, x1, v.y1())), v.x2(base.key(nets, x2, v.y2())));
        NDArray lossA = average(base.pull(nets, v.x11(null), base.key(nets, x1, v.y1())),
                base.pull(nets, v.x21(null), base.key(nets, x2, v.y2())));
        LossOutput.Builder out;
        if (lambda == 0) {
            out = LossOutput.of(lossS.add(lossA)).term("loss_s", lossS).term("loss_a", lossA);
        } else {
            NDArray lossRev = average(base.pull(nets, v.x1(null), base.key(nets, views.get("x11"), v.y11())),
                    base.pull(nets, v.x2(null), base.key(nets, views.get("x21"), v.y21())));
            NDArray total = lossS.add(lossA.mul(nets.constant((float) (1 - lambda), lossA)))
                    .add(lossRev.mul(nets.constant((float) lambda, lossRev)));
            out = LossOutput.of(total).term("loss_s", lossS).term("loss_a", lossA).term("loss_rev", lossRev);
        }
        return v.diagnostics(out).build();
    }
}
