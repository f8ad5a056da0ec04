package org.selfsup.eval;

import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import org.selfsup.model.SslModel;

/** Adapters from trained models to {@link FeatureEncoder}. */
public final class Encoders {
    private Encoders() {}

    /**
     * The frozen online backbone of {@code model} in inference mode ({@code training = false}: BatchNorm
     * uses its running statistics and does not update them).
     */
    public static FeatureEncoder backbone(SslModel model, NDManager manager) {
        ParameterStore ps = new ParameterStore(manager, false);
        return x -> model.features(ps, x, false);
    }
}
