package org.selfsup.eval;

import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import org.selfsup.model.SslModel;
import org.selfsup.runtime.Autocast;
import org.selfsup.runtime.Precision;

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

    /**
     * {@link #backbone} computing at {@code precision} (the run's) on the model's device; the features
     * come out as float32.
     */
    public static FeatureEncoder backbone(SslModel model, NDManager manager, Precision precision) {
        Autocast autocast = Autocast.of(precision, manager.getDevice());
        FeatureEncoder fp32 = backbone(model, manager);
        return precision.autocasts() ? x -> autocast.forward(() -> fp32.encode(x)) : fp32;
    }
}
