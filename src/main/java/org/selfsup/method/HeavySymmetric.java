package org.selfsup.method;

import static org.selfsup.method.Losses.average;
import static org.selfsup.method.Losses.negativeCosine;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Map;
import org.selfsup.model.Networks;

/**
 * The naive "w/ T̂" baseline of the DSSL tables: heavy views added with the base SimSiam SYMMETRIC loss,
 * no directionality. Our reading (the baseline's code is not released): the SimSiam loss
 * {@code S(a, b) = 0.5 D(p_a, z_b) + 0.5 D(p_b, z_a)} on the SV pair and on each SV with its own HV,
 * <pre>
 * L = S(x1, x2) + S(x1, x11) + S(x2, x21)        loss_s = S(x1, x2), loss_h = S(x1, x11) + S(x2, x21)
 * </pre>
 * so the SVs are also pulled towards their heavy views (which is what DSSL removes). Cross pairs
 * (x1 with x21) are not used.
 */
public final class HeavySymmetric implements SslMethod {
    /** The heavy-symmetric baseline: views of the dssl-cifar plan, no target, DSSL's SimSiam heads. */
    public static final MethodDefinition DEFINITION = MethodDefinition.named("heavy-symmetric")
            .summary("Baseline: SimSiam's symmetric loss on the standard pair and on each standard-heavy pair")
            .views("x1", "x2", "x11", "x21").defaultPlan("dssl-cifar")
            .heads(SimSiam::dsslCodeHeads)
            .loss(o -> new HeavySymmetric());

    @Override
    public MethodDefinition definition() {
        return DEFINITION;
    }

    @Override
    public LossOutput loss(Networks nets, Map<String, NDArray> views, StepContext step) {
        DsslViews v = DsslViews.forward(nets, views, name());
        NDArray lossS = symmetric(v.p1(), v.z1(), v.p2(), v.z2());
        NDArray lossH = symmetric(v.p1(), v.z1(), v.p11(), v.z11()).add(symmetric(v.p2(), v.z2(), v.p21(), v.z21()));
        return new LossOutput(lossS.add(lossH),
                Map.of("loss_s", lossS, "loss_h", lossH),
                v.shift(), Map.of(), v.stats());
    }

    private static NDArray symmetric(NDArray pa, NDArray za, NDArray pb, NDArray zb) {
        return average(negativeCosine(pa, zb), negativeCosine(pb, za));
    }
}
