package org.selfsup.method;

import static org.selfsup.method.Losses.average;
import static org.selfsup.method.Losses.negativeCosine;

import ai.djl.ndarray.NDArray;
import java.util.Map;
import org.selfsup.model.Networks;

/** SimSiam (no target): {@code L = 0.5 D(p1, z2) + 0.5 D(p2, z1)}, stop-gradient on z. */
public final class SimSiam extends NegativeCosineObjective {
    /** SimSiam: views v1, v2 of the simsiam plan, no target, DSSL's SimSiam heads. */
    public static final MethodDefinition DEFINITION = MethodDefinition.named("simsiam")
            .summary("SimSiam: symmetric negative cosine, stop-gradient, no target network")
            .views("v1", "v2").defaultPlan("simsiam")
            .heads(HeadCatalogue.DSSL_SIMSIAM)
            .loss(o -> new SimSiam());

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
        return LossOutput.of(total).collapseStd(z1).build();
    }
}
