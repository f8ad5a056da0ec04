package org.selfsup.train;

import java.util.Map;
import org.selfsup.model.SslModel;

/**
 * Called after each epoch's checkpoint (e.g. the kNN monitor). The returned values (may be empty) are
 * written to {@code metrics.jsonl} as an {@code eval} line. A listener must not change the model's
 * parameters, or resume would no longer be exact.
 */
@FunctionalInterface
public interface EpochListener {
    /**
     * @param epoch 0-based epoch just finished
     * @param step  global step k at its end
     * @param model the model being trained
     */
    Map<String, Double> onEpochEnd(int epoch, long step, SslModel model);
}
