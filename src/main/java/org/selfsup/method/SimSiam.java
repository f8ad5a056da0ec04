package org.selfsup.method;

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
}
