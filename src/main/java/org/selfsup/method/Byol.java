package org.selfsup.method;

import static org.selfsup.method.Losses.normalizedMse;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Map;
import org.selfsup.model.Backbone;
import org.selfsup.model.HeadSpec;
import org.selfsup.model.ModelSpec;
import org.selfsup.model.Networks;

/**
 * BYOL as in RSA's code (methods.md §2.4, last note): {@code l = d(q(v1), z'(v2)) + d(q(v2), z'(v1))},
 * mean over the batch, with d the normalised MSE and z' the EMA target's projection.
 */
public final class Byol implements SslMethod {
    /** BYOL as in RSA's code: views v1, v2 of the byol plan, an EMA target, RSA's heads. */
    public static final MethodDefinition DEFINITION = MethodDefinition.named("byol")
            .summary("BYOL (RSA's code): normalised MSE between each view's prediction and the other's target")
            .views("v1", "v2").withTarget().defaultPlan("byol")
            .heads(Byol::rsaCodeHeads)
            .loss(o -> new Byol());

    /**
     * The heads of RSA's code (BYOL and RSA): torchvision init, zero-init-residual by default; projector
     * Linear(D,1024)+BN+ReLU+Linear(1024,128,no bias), predictor 128-1024-128 alike (ResNet-50:
     * 4096/256). For {@code small} the widths scale with D/512.
     */
    static ModelSpec rsaCodeHeads(Backbone b, Boolean zeroInitResidual) {
        int hidden = b.resnet50() ? 4096 : b.scaled(1024);
        int out = b.resnet50() ? 256 : b.scaled(128);
        return b.spec(zeroInitResidual == null || zeroInitResidual, ModelSpec.INIT_TORCHVISION,
                HeadSpec.twoLayer(hidden, out, false), HeadSpec.twoLayer(hidden, out, false));
    }

    @Override
    public MethodDefinition definition() {
        return DEFINITION;
    }

    @Override
    public LossOutput loss(Networks nets, Map<String, NDArray> views, StepContext step) {
        NDArray v1 = Views.get(views, "v1", name());
        NDArray v2 = Views.get(views, "v2", name());
        NDArray y1 = nets.project(v1);
        NDArray q1 = nets.predict(y1);
        NDArray q2 = nets.predict(nets.project(v2));
        NDArray t1 = nets.targetProject(v1);
        NDArray t2 = nets.targetProject(v2);
        NDArray total = normalizedMse(q1, t2).add(normalizedMse(q2, t1)).mean();
        return new LossOutput(total, Map.of(), Map.of(), Map.of(), Map.of("proj_std", Losses.projectionStd(y1)));
    }
}
