package org.selfsup.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.selfsup.util.MetricKeys;

/**
 * One chart of a run report: its file name, labels, an explanation for the HTML page, and how to
 * pull its series out of a run's metrics.
 *
 * @param file     PNG file name under {@code charts/}
 * @param title    chart title
 * @param xLabel   x axis title
 * @param yLabel   y axis title
 * @param caption  one or two sentences shown under the chart
 * @param seriesOf the series of one run
 */
public record ChartSpec(String file, String title, String xLabel, String yLabel, String caption,
                        Function<Metrics, List<Metrics.Series>> seriesOf) {

    /** Loss terms (every step field starting with {@code loss}) over steps. */
    public static final ChartSpec LOSS = new ChartSpec("loss.png", "Loss terms", "step", "loss",
            "Every logged loss term (fields starting with 'loss') over training steps.",
            m -> prefixed(m, "loss"));

    /** kNN accuracy (every eval field starting with {@code knn_top}) over epochs. */
    public static final ChartSpec KNN = new ChartSpec("knn.png", "kNN accuracy (k=200, t=0.1)",
            "epochs completed", "accuracy (%)",
            "Weighted kNN accuracy of the frozen encoder on the test split, train split as memory bank. "
                    + "Flat lines: other kNN values of the run's summary (e.g. the same encoder at random "
                    + "initialisation).",
            ChartSpec::knnSeries);

    /** The semantic-shift diagnostic: cosine similarity of each derived view with its source. */
    public static final ChartSpec SHIFT = new ChartSpec("shift.png",
            "Semantic shift: cos(derived view, its source view)", "step", "mean cosine similarity",
            "Mean cosine similarity between the embedding of each aggressive/heavy view and the embedding "
                    + "of the view it was derived from (shift_<view>). Low values mean the augmentation moved the "
                    + "image far from its source in representation space: the semantic shift that RSA and DSSL "
                    + "are designed to handle.",
            m -> prefixed(m, "shift_"));

    /** Learning rate over steps. */
    public static final ChartSpec LR = schedule("lr", "Learning rate");
    /** Target EMA rate over steps. */
    public static final ChartSpec TAU = schedule("tau", "Target EMA rate tau");
    /** RSA aggressive-pair weight over steps. */
    public static final ChartSpec BETA = schedule("beta", "RSA weight beta");

    /** Collapse diagnostic. */
    public static final ChartSpec PROJ_STD = new ChartSpec("proj_std.png",
            "Collapse diagnostic: std of normalised projections", "step", "std",
            "Per-dimension standard deviation of the L2-normalised projections, averaged over dimensions. "
                    + "It stays near 1/sqrt(d) for healthy training and falls towards 0 on collapse.",
            m -> List.of(Metrics.series(MetricKeys.PROJ_STD, m.steps(), "step", MetricKeys.PROJ_STD)));

    /** RankMe, the effective rank of the test embeddings, at the kNN points. */
    public static final ChartSpec RANKME = new ChartSpec("rankme.png", "Effective rank of the embeddings (RankMe)",
            "epochs completed", "effective rank",
            "exp of the entropy of the normalised singular values of the backbone features of a fixed sample of "
                    + "up to 1024 test images (Garrido et al. 2023), at every kNN point. Label-free: higher tracks "
                    + "better downstream accuracy; a fall towards 1 is dimensional collapse, the same failure the "
                    + "collapse diagnostic above watches from the projections.",
            m -> {
                Metrics.Series s = Metrics.series("rankme", m.evals(), "epoch", "rankme");
                return List.of(new Metrics.Series("rankme", Arrays.stream(s.x()).map(e -> e + 1).toArray(), s.y()));
            });

    /** The online linear probe: running train accuracy over steps, test accuracy at the kNN points. */
    public static final ChartSpec ONLINE_PROBE = new ChartSpec("online_probe.png", "Online linear probe", "step",
            "top-1 accuracy (%)",
            "A linear classifier trained during pretraining, with its own optimiser, on the detached "
                    + "inference-mode backbone features of each step's labelled images (the encoder gets no "
                    + "gradient from it). online_probe_acc: its running accuracy on the training batches since "
                    + "the previous logged step; online_probe_top1: its accuracy on every test image at the kNN "
                    + "points.",
            m -> List.of(Metrics.series("online_probe_acc", m.steps(), "step", "online_probe_acc"),
                    Metrics.series("online_probe_top1", m.evals(), "step", "online_probe_top1")));

    /** Training throughput. */
    public static final ChartSpec THROUGHPUT = new ChartSpec("throughput.png", "Throughput", "step",
            "source images / s", "Source images per second of the training loop.",
            m -> List.of(Metrics.series("img_per_s", m.steps(), "step", "img_per_s")));

    /** The charts of a single-run report, in page order (throughput is in the health section, over time). */
    public static final List<ChartSpec> RUN_CHARTS = List.of(KNN, ONLINE_PROBE, LOSS, SHIFT, LR, TAU, BETA, PROJ_STD,
            RANKME);

    private static ChartSpec schedule(String key, String title) {
        return new ChartSpec(key + ".png", title, "step", key, title + " used by each logged step.",
                m -> List.of(Metrics.series(key, m.steps(), "step", key)));
    }

    /** kNN values per completed epoch (eval lines hold the 0-based epoch), plus flat summary references. */
    private static List<Metrics.Series> knnSeries(Metrics m) {
        List<Metrics.Series> out = new ArrayList<>();
        for (String k : Metrics.keysWithPrefix(m.evals(), "knn_top")) {
            Metrics.Series s = Metrics.series(k, m.evals(), "epoch", k);
            out.add(new Metrics.Series(k, Arrays.stream(s.x()).map(e -> e + 1).toArray(), s.y()));
        }
        double lo = out.stream().flatMapToDouble(s -> Arrays.stream(s.x())).min().orElse(Double.NaN);
        double hi = out.stream().flatMapToDouble(s -> Arrays.stream(s.x())).max().orElse(Double.NaN);
        if (!Double.isNaN(lo)) {
            m.summary().forEach((k, v) -> {
                // accuracy references only (e.g. knn_top1_random_init), not protocol settings such as knn_k
                if (k.startsWith("knn_top") && !k.equals(MetricKeys.KNN_TOP1) && !k.equals(MetricKeys.KNN_TOP5)
                        && v instanceof Double d) {
                    out.add(new Metrics.Series(k + " (summary)", new double[] {lo, hi}, new double[] {d, d}));
                }
            });
        }
        return out;
    }

    private static List<Metrics.Series> prefixed(Metrics m, String prefix) {
        List<Metrics.Series> out = new ArrayList<>();
        for (String k : Metrics.keysWithPrefix(m.steps(), prefix)) {
            out.add(Metrics.series(k, m.steps(), "step", k));
        }
        return out;
    }
}
