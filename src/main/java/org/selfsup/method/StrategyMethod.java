package org.selfsup.method;

/**
 * What every heavy-augmentation strategy's loss holds: the combined method's definition (which it reports as its
 * own) and the base method's pairwise objective it applies the strategy to.
 */
abstract class StrategyMethod implements SslMethod {
    private final MethodDefinition definition;
    /** The base method's pairwise objective. */
    protected final PairwiseObjective base;

    StrategyMethod(MethodDefinition definition, PairwiseObjective base) {
        this.definition = definition;
        this.base = base;
    }

    @Override
    public final MethodDefinition definition() {
        return definition;
    }
}
