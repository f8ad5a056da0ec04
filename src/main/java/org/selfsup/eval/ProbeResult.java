package org.selfsup.eval;

import java.util.List;

/**
 * Outcome of a linear probe. The headline number is the FINAL epoch's test accuracy; the "best"
 * epoch is chosen on a validation split carved from the training data, never on the test set.
 *
 * @param protocol          protocol name
 * @param epochs            epochs trained
 * @param testTop1          test top-1 (%) of the head after the last epoch, every test image scored
 * @param testTop5          test top-5 (%) of the same head
 * @param testImages        number of test images scored
 * @param valImages         size of the validation split (0 = none)
 * @param bestValEpoch      0-based epoch with the best validation top-1, or -1 without validation
 * @param bestValTop1       that validation top-1 (%), or NaN
 * @param testTop1AtBestVal test top-1 (%) of the head from {@code bestValEpoch}, or NaN
 * @param history           per-epoch log
 */
public record ProbeResult(String protocol, int epochs, double testTop1, double testTop5, int testImages,
                          int valImages, int bestValEpoch, double bestValTop1, double testTop1AtBestVal,
                          List<Epoch> history) {
    /**
     * One epoch of probe training.
     *
     * @param epoch     0-based epoch
     * @param lr        learning rate used
     * @param trainLoss mean cross-entropy over the epoch's batches
     * @param valTop1   validation top-1 (%) after the epoch, or NaN without validation
     */
    public record Epoch(int epoch, double lr, double trainLoss, double valTop1) {}
}
