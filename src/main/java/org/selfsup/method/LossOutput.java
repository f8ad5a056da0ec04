package org.selfsup.method;

import ai.djl.ndarray.NDArray;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.selfsup.util.MetricKeys;

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
 * @param stats      other detached scalar diagnostics, logged under their keys: {@link MetricKeys#PROJ_STD},
 *                   the collapse indicator
 *
 * <p>Methods build it with {@link #of}: {@code LossOutput.of(total).term("loss_aw", aw).shift("a1", cos)
 * .schedule(MetricKeys.BETA, beta).collapseStd(y1).build()}.
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

    /** Starts the output of a step whose loss is {@code total}. */
    public static Builder of(NDArray total) {
        return new Builder(total);
    }

    /** This output with one more diagnostic (e.g. the fp16 loss scale). */
    public LossOutput withStat(String key, NDArray value) {
        Map<String, NDArray> more = new LinkedHashMap<>(stats);
        more.put(key, value);
        return new LossOutput(total, terms, shift, schedule, more);
    }

    /** Builds a {@link LossOutput} term by term. */
    public static final class Builder {
        private final NDArray total;
        private final Map<String, NDArray> terms = new LinkedHashMap<>();
        private final Map<String, NDArray> shift = new LinkedHashMap<>();
        private final Map<String, Double> schedule = new LinkedHashMap<>();
        private final Map<String, NDArray> stats = new LinkedHashMap<>();

        private Builder(NDArray total) {
            this.total = total;
        }

        /** A named loss term, logged as {@code loss_NAME} unless its name starts with {@code loss}. */
        public Builder term(String name, NDArray value) {
            terms.put(name, value);
            return this;
        }

        /** The semantic-shift diagnostic of derived view {@code view}. */
        public Builder shift(String view, NDArray meanCosine) {
            shift.put(view, meanCosine);
            return this;
        }

        /** Semantic-shift diagnostics, by derived view. */
        public Builder shifts(Map<String, NDArray> byView) {
            shift.putAll(byView);
            return this;
        }

        /** A schedule value the step used. */
        public Builder schedule(String key, double value) {
            schedule.put(key, value);
            return this;
        }

        /** The collapse indicator {@link MetricKeys#PROJ_STD} of the online projections {@code projections}. */
        public Builder collapseStd(NDArray projections) {
            return stat(MetricKeys.PROJ_STD, Losses.projectionStd(projections));
        }

        /** Another detached scalar diagnostic. */
        public Builder stat(String key, NDArray value) {
            stats.put(key, value);
            return this;
        }

        public LossOutput build() {
            return new LossOutput(total, terms, shift, schedule, stats);
        }
    }
}
