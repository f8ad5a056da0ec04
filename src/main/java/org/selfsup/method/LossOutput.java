package org.selfsup.method;

import ai.djl.ndarray.NDArray;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a method's loss returns for one step.
 *
 * @param total      the scalar to back-propagate
 * @param terms      named scalar loss terms for logging (e.g. {@code loss_aw}, {@code loss_aa}); read
 *                   back from the device only when a step is logged
 * @param shift      semantic-shift diagnostic: for each derived (aggressive or heavy) view, the mean
 *                   cosine similarity between its embedding and its source view's, keyed by the
 *                   derived view's name (scalars, detached)
 * @param schedule   schedule values used by this step (e.g. {@code beta}), already on the host
 * @param stats      other detached scalar diagnostics, logged under their keys: {@code proj_std}, the
 *                   mean over dimensions of the batch standard deviation of the L2-normalised online
 *                   projection of the first view (collapse indicator: 0 when collapsed, about
 *                   1/sqrt(dim) when healthy)
 */
public record LossOutput(NDArray total, Map<String, NDArray> terms, Map<String, NDArray> shift,
                         Map<String, Double> schedule, Map<String, NDArray> stats) {

    /**
     * Keys in sorted order: methods build these maps with {@code Map.of}, whose iteration order varies
     * from one JVM to the next, and the order is what metrics.jsonl and the logs show.
     */
    public LossOutput {
        terms = sorted(terms);
        shift = sorted(shift);
        schedule = sorted(schedule);
        stats = sorted(stats);
    }

    private static <V> Map<String, V> sorted(Map<String, V> m) {
        return Collections.unmodifiableSortedMap(new TreeMap<>(m));
    }

    /** A loss output without extra diagnostics (the original four-component form). */
    public LossOutput(NDArray total, Map<String, NDArray> terms, Map<String, NDArray> shift,
                      Map<String, Double> schedule) {
        this(total, terms, shift, schedule, Map.of());
    }
}
