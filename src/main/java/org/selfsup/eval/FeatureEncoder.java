package org.selfsup.eval;

import ai.djl.ndarray.NDArray;

/**
 * A frozen encoder seen from evaluation: maps a normalised float32 NCHW batch to its N x D features
 * in inference mode (BatchNorm uses running statistics; nothing is recorded for gradients).
 *
 * <p>For a trained {@code SslModel} this is {@code x -> model.features(ps, x, false)}. Keeping
 * evaluation behind this one-method interface lets it run on any encoder, including synthetic ones
 * in tests.
 */
@FunctionalInterface
public interface FeatureEncoder {
    /** Features of {@code batch} (the result may be attached to the batch's manager). */
    NDArray encode(NDArray batch);
}
