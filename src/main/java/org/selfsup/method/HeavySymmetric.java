package org.selfsup.method;

import static org.selfsup.method.Losses.symmetricNegativeCosine;

import ai.djl.ndarray.NDArray;
import java.util.Map;
import org.selfsup.model.Networks;

/**
 * The naive "w/ T̂" baselines of the DSSL tables (methods.md §3.7): heavy views added with the base
 * method's SYMMETRIC loss, no directionality. Our reading (the baselines' code is not released): the base
 * loss {@code S(a, b) = 0.5 D(p_a, z_b) + 0.5 D(p_b, z_a)} on the SV pair and on each SV with its own HV,
 * <pre>
 * L = S(x1, x2) + S(x1, x11) + S(x2, x21)        loss_s = S(x1, x2), loss_h = S(x1, x11) + S(x2, x21)
 * </pre>
 * so the SVs are also pulled towards their heavy views (which is what DSSL removes). Cross pairs
 * (x1 with x21) are not used. Two bases:
 * <ul>
 *   <li>{@code heavy-symmetric}, SimSiam (§3.3/§3.4): z is the online projection under stop-gradient,
 *       DSSL's SimSiam heads, the main table's SimSiam "w/ T̂" rows;</li>
 *   <li>{@code heavy-symmetric-byol}, the BYOL of DSSL's code ({@link DsslByolBaseline}, §3.5): z is the EMA
 *       target's projection z', lucidrains' heads, the views of {@code dssl-byol-harder}, Table 3's
 *       "BYOL w/ T̂" rows. The target runs once per view.</li>
 * </ul>
 */
public final class HeavySymmetric implements SslMethod {
    /** The SimSiam heavy-symmetric baseline: views of the dssl-cifar plan, no target, DSSL's SimSiam heads. */
    public static final MethodDefinition DEFINITION = MethodDefinition.named("heavy-symmetric")
            .summary("Baseline: SimSiam's symmetric loss on the standard pair and on each standard-heavy pair")
            .views("x1", "x2", "x11", "x21").defaultPlan("dssl-cifar")
            .heads(HeadCatalogue.DSSL_SIMSIAM)
            .loss(o -> new HeavySymmetric(false));

    /** The BYOL heavy-symmetric baseline: views of the dssl-byol-harder plan, an EMA target, lucidrains' heads. */
    public static final MethodDefinition BYOL_DEFINITION = MethodDefinition.named("heavy-symmetric-byol")
            .summary("Baseline: DSSL-code BYOL's symmetric loss (EMA target) on the standard pair and on each "
                    + "standard-heavy pair")
            .views("x1", "x2", "x11", "x21").withTarget().defaultPlan("dssl-byol-harder")
            .heads(HeadCatalogue.LUCIDRAINS_BYOL)
            .loss(o -> new HeavySymmetric(true));

    private final boolean againstTarget;

    /** The SimSiam form, {@code heavy-symmetric}. */
    public HeavySymmetric() {
        this(false);
    }

    /**
     * @param againstTarget true for {@code heavy-symmetric-byol} (predictions against the EMA target's
     *                      projections), false for {@code heavy-symmetric} (against the online ones)
     */
    public HeavySymmetric(boolean againstTarget) {
        this.againstTarget = againstTarget;
    }

    @Override
    public MethodDefinition definition() {
        return againstTarget ? BYOL_DEFINITION : DEFINITION;
    }

    @Override
    public LossOutput loss(Networks nets, Map<String, NDArray> views, StepContext step) {
        DsslViews v = DsslViews.forward(nets, views, name());
        NDArray z1 = v.z1();
        NDArray z2 = v.z2();
        NDArray z11 = v.z11();
        NDArray z21 = v.z21();
        if (againstTarget) {
            z1 = nets.targetProject(views.get("x1"));
            z2 = nets.targetProject(views.get("x2"));
            z11 = nets.targetProject(views.get("x11"));
            z21 = nets.targetProject(views.get("x21"));
        }
        NDArray lossS = symmetricNegativeCosine(v.p1(), z1, v.p2(), z2);
        NDArray lossH = symmetricNegativeCosine(v.p1(), z1, v.p11(), z11)
                .add(symmetricNegativeCosine(v.p2(), z2, v.p21(), z21));
        return v.diagnostics(LossOutput.of(lossS.add(lossH)).term("loss_s", lossS).term("loss_h", lossH)).build();
    }
}
