package org.selfsup.method;

import static org.selfsup.method.Losses.average;
import static org.selfsup.method.Losses.negativeCosine;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Map;

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
    @Override
    public String name() {
        return "heavy-symmetric";
    }

    @Override
    public List<String> views() {
        return List.of("x1", "x2", "x11", "x21");
    }

    @Override
    public boolean usesTarget() {
        return false;
    }

    @Override
    public LossOutput loss(Networks nets, Map<String, NDArray> views, StepContext step) {
        NDArray z1 = nets.project(Views.get(views, "x1", name()));
        NDArray z2 = nets.project(Views.get(views, "x2", name()));
        NDArray z11 = nets.project(Views.get(views, "x11", name()));
        NDArray z21 = nets.project(Views.get(views, "x21", name()));
        NDArray p1 = nets.predict(z1);
        NDArray p2 = nets.predict(z2);
        NDArray p11 = nets.predict(z11);
        NDArray p21 = nets.predict(z21);
        NDArray lossS = symmetric(p1, z1, p2, z2);
        NDArray lossH = symmetric(p1, z1, p11, z11).add(symmetric(p2, z2, p21, z21));
        return new LossOutput(lossS.add(lossH),
                Map.of("loss_s", lossS, "loss_h", lossH),
                Map.of("x11", Losses.meanCosine(z11, z1), "x21", Losses.meanCosine(z21, z2)),
                Map.of(),
                Map.of("proj_std", Losses.projectionStd(z1)));
    }

    private static NDArray symmetric(NDArray pa, NDArray za, NDArray pb, NDArray zb) {
        return average(negativeCosine(pa, zb), negativeCosine(pb, za));
    }
}
