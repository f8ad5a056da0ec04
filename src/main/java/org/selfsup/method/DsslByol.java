package org.selfsup.method;

import static org.selfsup.method.Losses.average;
import static org.selfsup.method.Losses.negativeCosine;

import ai.djl.ndarray.NDArray;
import java.util.Map;
import org.selfsup.model.Networks;

/**
 * DSSL on BYOL (methods.md §3.5), with target projections z' from the EMA network (detached):
 * <pre>
 * L = 0.5 D(p(x1), z'(x2))  + 0.5 D(p(x2), z'(x1))      symmetric BYOL loss between SVs  (loss_s, ByolPair)
 *   + 0.5 D(p(x11), z'(x1)) + 0.5 D(p(x21), z'(x2))     HV -> its own SV via the target   (loss_a)
 * </pre>
 * As in the original code the target is run again on x1 and x2 for the directional terms: same values,
 * but its BatchNorm running statistics see those batches twice. Without the directional terms this is
 * {@link DsslByolBaseline}, the BYOL baseline of DSSL's code.
 */
public final class DsslByol implements SslMethod {
    /** DSSL on BYOL: views of the dssl-byol-harder plan, an EMA target, lucidrains' BYOL heads. */
    public static final MethodDefinition DEFINITION = MethodDefinition.named("dssl-byol")
            .summary("DSSL on BYOL: BYOL loss on standard views, heavy views to their own view's target")
            .views("x1", "x2", "x11", "x21").withTarget().defaultPlan("dssl-byol-harder")
            .heads(HeadCatalogue.LUCIDRAINS_BYOL)
            .loss(o -> new DsslByol());

    @Override
    public MethodDefinition definition() {
        return DEFINITION;
    }

    @Override
    public LossOutput loss(Networks nets, Map<String, NDArray> views, StepContext step) {
        NDArray x1 = Views.get(views, "x1", name());
        NDArray x2 = Views.get(views, "x2", name());
        NDArray x11 = Views.get(views, "x11", name());
        NDArray x21 = Views.get(views, "x21", name());
        ByolPair standard = ByolPair.forward(nets, x1, x2);
        NDArray lossS = standard.loss();
        NDArray y1 = standard.y1();
        NDArray y2 = standard.y2();

        NDArray y11 = nets.project(x11);
        NDArray y21 = nets.project(x21);
        NDArray p11 = nets.predict(y11);
        NDArray p21 = nets.predict(y21);
        NDArray lossA = average(negativeCosine(p11, nets.targetProject(x1)),
                negativeCosine(p21, nets.targetProject(x2)));
        return LossOutput.of(lossS.add(lossA)).term("loss_s", lossS).term("loss_a", lossA)
                .shift("x11", Losses.meanCosine(y11, y1)).shift("x21", Losses.meanCosine(y21, y2))
                .collapseStd(y1).build();
    }
}
