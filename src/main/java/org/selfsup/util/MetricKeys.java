package org.selfsup.util;

/**
 * The names of the values in {@code metrics.jsonl} and the run summary that more than one package writes or
 * reads (the methods, the training loop and its listeners, the monitors, the job, the report): one spelling
 * of each. Here, at the bottom of the package graph, because the writers (method, train, eval) and the reader
 * (report) see nothing else in common.
 */
public final class MetricKeys {
    private MetricKeys() {}

    /** The step's total loss. */
    public static final String LOSS = "loss";
    /** Prefix of a method's loss terms (a term whose name does not start with {@link #LOSS} gets it). */
    public static final String LOSS_PREFIX = "loss_";
    /** Prefix of the semantic-shift diagnostics, one per derived view ({@code shift_a1}). */
    public static final String SHIFT_PREFIX = "shift_";
    /**
     * Collapse indicator: the mean over dimensions of the batch standard deviation of the L2-normalised online
     * projections of the first view (0 when collapsed, about 1/sqrt(dim) when healthy).
     */
    public static final String PROJ_STD = "proj_std";
    /** RSA's beta of the step (a schedule value). */
    public static final String BETA = "beta";
    /** fp16: the loss scale of the step. */
    public static final String LOSS_SCALE = "loss_scale";
    /** fp16: 1 when the step was skipped for non-finite gradients. */
    public static final String AMP_SKIPPED = "amp_skipped";
    /** kNN monitor top-1 accuracy (%). */
    public static final String KNN_TOP1 = "knn_top1";
    /** kNN monitor top-5 accuracy (%). */
    public static final String KNN_TOP5 = "knn_top5";
    /** Linear probe test top-1 accuracy (%). */
    public static final String PROBE_TOP1 = "probe_top1";
    /** Linear probe test top-5 accuracy (%). */
    public static final String PROBE_TOP5 = "probe_top5";
}
