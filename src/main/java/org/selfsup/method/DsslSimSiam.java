package org.selfsup.method;

import static org.selfsup.method.Losses.average;
import static org.selfsup.method.Losses.negativeCosine;

import ai.djl.ndarray.NDArray;
import java.util.Map;
import org.selfsup.model.Networks;

/**
 * DSSL on SimSiam (methods.md §3.3/§3.4). Standard views x1, x2, heavy views x11 (from x1), x21 (from x2),
 * all through the online network (no target):
 * <pre>
 * L_S   = 0.5 D(p1, z2)  + 0.5 D(p2, z1)      symmetric SV-SV
 * L_A   = 0.5 D(p11, z1) + 0.5 D(p21, z2)     HV -> its own SV (SV side stop-gradient)
 * L_rev = 0.5 D(p1, z11) + 0.5 D(p2, z21)     SV -> HV, the CIFAR code's "soft" reverse term
 * L     = L_S + (1 - lambda) L_A + lambda L_rev
 * </pre>
 * lambda = 0.1 reproduces the CIFAR code; lambda = 0 the purely directional ImageNet form L_S + L_A.
 */
public final class DsslSimSiam implements SslMethod {
    /** DSSL on SimSiam: standard x1, x2 and heavy x11, x21 of the dssl-cifar plan, no target. */
    public static final MethodDefinition DEFINITION = MethodDefinition.named("dssl-simsiam")
            .summary("DSSL on SimSiam: symmetric loss on standard views, heavy views pulled to their own")
            .views("x1", "x2", "x11", "x21").defaultPlan("dssl-cifar")
            .heads(HeadCatalogue.DSSL_SIMSIAM)
            .option(MethodOption.unitInterval("soft-loss-rate", 0.1, "DSSL lambda: weight of the reverse "
                    + "(standard -> heavy) term; 0 = purely directional."))
            .loss(o -> new DsslSimSiam(o.get("soft-loss-rate")));

    private final double lambda;

    /** @param softLossRate lambda, the reverse-term weight */
    public DsslSimSiam(double softLossRate) {
        this.lambda = softLossRate;
    }

    @Override
    public MethodDefinition definition() {
        return DEFINITION;
    }

    @Override
    public LossOutput loss(Networks nets, Map<String, NDArray> views, StepContext step) {
        DsslViews v = DsslViews.forward(nets, views, name());
        NDArray lossS = average(negativeCosine(v.p1(), v.z2()), negativeCosine(v.p2(), v.z1()));
        NDArray lossA = average(negativeCosine(v.p11(), v.z1()), negativeCosine(v.p21(), v.z2()));
        NDArray lossRev = average(negativeCosine(v.p1(), v.z11()), negativeCosine(v.p2(), v.z21()));
        NDArray total;
        if (lambda == 0) {
            total = lossS.add(lossA);
        } else {
            total = lossS.add(lossA.mul(nets.constant((float) (1 - lambda), lossA)))
                    .add(lossRev.mul(nets.constant((float) lambda, lossRev)));
        }
        return v.diagnostics(LossOutput.of(total).term("loss_s", lossS).term("loss_a", lossA).term("loss_rev", lossRev))
                .build();
    }
}
