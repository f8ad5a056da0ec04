package org.selfsup.train;

import org.selfsup.config.TrainConfig;
import org.selfsup.model.SslModel;

/**
 * A pretrained encoder read from a checkpoint: the run's configuration and a backbone-only model (no
 * projector, predictor or target), ready for {@code model.features(ps, x, false)}.
 */
public record TrainedEncoder(TrainConfig config, SslModel model) implements AutoCloseable {
    @Override
    public void close() {
        model.close();
    }
}
