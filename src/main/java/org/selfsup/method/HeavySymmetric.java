package org.selfsup.method;

import ai.djl.ndarray.NDArray;
import java.util.Map;
import org.selfsup.model.Networks;

/**
 * The naive "w/ T̂" baselines of the DSSL tables (docs/methods.md §3.7, §8) as a strategy: heavy views added
 * with the base method's own SYMMETRIC loss S, no directionality. Our reading (the baselines' code is not
 * released): S on the standard pair and on each standard view with its own heavy view,
 * <pre>
 * L = S(x1, x2) + S(x1, x11) + S(x2, x21)        loss_s = S(x1, x2), loss_h = S(x1, x11) + S(x2, x21)
 * </pre>
 * so the standard views are also pulled towards their heavy views (which is what DSSL removes). Cross pairs
 * (x1 with x21) are not used. Each view's key is made once (one target pass per view for a base with a
 * target). {@code heavy-symmetric} is SimSiam with this strategy (the main table's SimSiam "w/ T̂" rows),
 * {@code heavy-symmetric-byol} the BYOL of DSSL's code (Table 3's "BYOL w/ T̂" rows).
 */
public final class HeavySymmetric extends StrategyMethod {
    /** The strategy: standard x1, x2 and heavy x11, x21 of the base's heavy plan. */
    public static final HeavyStrategy STRATEGY = HeavyStrategy.named("symmetric")
            .summary("the base loss on the standard pair and on each standard-heavy pair (no direction)")
            .views("x1", "x2", "x11", "x21")
            .loss((method, base, o) -> new HeavySymmetric(method, base));

    /** The SimSiam heavy-symmetric baseline. */
    public static final MethodDefinition DEFINITION = STRATEGY.alias("heavy-symmetric",
            "Baseline: SimSiam's symmetric loss on the standard pair and on each standard-heavy pair",
            SimSiam.DEFINITION, Map.of());

    /** The heavy-symmetric baseline of DSSL's BYOL code. */
    public static final MethodDefinition BYOL_DEFINITION = STRATEGY.alias("heavy-symmetric-byol",
            "Baseline: DSSL-code BYOL's symmetric loss (EMA target) on the standard pair and on each "
                    + "standard-heavy pair", DsslByolBaseline.DEFINITION, Map.of());

    private HeavySymmetric(MethodDefinition definition, PairwiseObjective base) {
        super(definition, base);
    }

    @Override
    public LossOutput loss(Networks nets, Map<String, NDArray> views, StepContext step) {
        HeavyViews v = HeavyViews.forward(nets, base, views, name());
        PairwiseObjective.Branch x1 = v.x1(base.key(nets, views.get("x1"), v.y1()));
        PairwiseObjective.Branch x2 = v.x2(base.key(nets, views.get("x2"), v.y2()));
        PairwiseObjective.Branch x11 = v.x11(base.key(nets, views.get("x11"), v.y11()));
        PairwiseObjective.Branch x21 = v.x21(base.key(nets, views.get("x21"), v.y21()));
        NDArray lossS = base.symmetric(nets, x1, x2);
        NDArray lossH = base.symmetric(nets, x1, x11).add(base.symmetric(nets, x2, x21));
        return v.diagnostics(LossOutput.of(lossS.add(lossH)).term("loss_s", lossS).term("loss_h", lossH)).build();
    }
}
