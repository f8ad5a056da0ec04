package org.selfsup.method;

import static org.selfsup.method.Losses.average;
import static org.selfsup.method.Losses.negativeCosine;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Map;
import org.selfsup.model.Backbone;
import org.selfsup.model.HeadSpec;
import org.selfsup.model.ModelSpec;
import org.selfsup.model.Networks;

/** SimSiam (no target): {@code L = 0.5 D(p1, z2) + 0.5 D(p2, z1)}, stop-gradient on z. */
public final class SimSiam implements SslMethod {
    /** SimSiam: views v1, v2 of the simsiam plan, no target, DSSL's SimSiam heads. */
    public static final MethodDefinition DEFINITION = MethodDefinition.named("simsiam")
            .summary("SimSiam: symmetric negative cosine, stop-gradient, no target network")
            .views("v1", "v2").defaultPlan("simsiam")
            .heads(SimSiam::dsslCodeHeads)
            .loss(o -> new SimSiam());

    /**
     * The heads of DSSL's SimSiam code (SimSiam, DSSL-SimSiam, the heavy-symmetric baseline): uniform init;
     * CIFAR-style projector Linear(D,2048)+BN+ReLU+Linear(2048,2048)+BN(affine=False), predictor
     * Linear(2048,512)+BN+ReLU+Linear(512,2048); ResNet-50: three 2048 layers, the last BN affine. For
     * {@code small} the widths scale with D/512.
     */
    static ModelSpec dsslCodeHeads(Backbone b, Boolean zeroInitResidual) {
        int dim = b.scaled(2048);
        int bottleneck = b.scaled(512);
        HeadSpec projector = b.resnet50()
                ? new HeadSpec(List.of(
                        new HeadSpec.Layer(dim, true, HeadSpec.Norm.AFFINE, true),
                        new HeadSpec.Layer(dim, true, HeadSpec.Norm.AFFINE, true),
                        new HeadSpec.Layer(dim, true, HeadSpec.Norm.AFFINE, false)))
                : new HeadSpec(List.of(
                        new HeadSpec.Layer(dim, true, HeadSpec.Norm.AFFINE, true),
                        new HeadSpec.Layer(dim, true, HeadSpec.Norm.PLAIN, false)));
        HeadSpec predictor = HeadSpec.twoLayer(bottleneck, dim, true);
        return b.spec(zeroInitResidual != null && zeroInitResidual, ModelSpec.INIT_UNIFORM, projector, predictor);
    }

    @Override
    public MethodDefinition definition() {
        return DEFINITION;
    }

    @Override
    public LossOutput loss(Networks nets, Map<String, NDArray> views, StepContext step) {
        NDArray z1 = nets.project(Views.get(views, "v1", name()));
        NDArray z2 = nets.project(Views.get(views, "v2", name()));
        NDArray p1 = nets.predict(z1);
        NDArray p2 = nets.predict(z2);
        NDArray total = average(negativeCosine(p1, z2), negativeCosine(p2, z1));
        return new LossOutput(total, Map.of(), Map.of(), Map.of(), Map.of("proj_std", Losses.projectionStd(z1)));
    }
}
