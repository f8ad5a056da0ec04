package org.selfsup.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.selfsup.train.checkpoint.MetricsLog;

/**
 * Writes {@code metrics.jsonl}: a {@code step} line for every step whose values were read back (every
 * {@code log-every} steps, each epoch's last step, and any step another listener asked for, e.g. a
 * mid-epoch checkpoint), an {@code epoch} line per epoch, an {@code eval} line per evaluated epoch.
 * An epoch line's {@code seconds} and {@code img_per_s} time its {@code batches} in this process; an epoch
 * resumed mid-way also carries {@code resumed_at_batch} (its first batch here), since the earlier batches'
 * time is not known.
 * Step lines carry the learning rate, tau (with a target network), the step's values, images per second
 * and the mean wait for data since the previous step line.
 */
public final class MetricsListener implements TrainingListener {
    private final MetricsLog log;
    private final int logEvery;
    private final int batchSize;
    private final boolean logsTau;
    private long lastLineNs = System.nanoTime();
    private long stepsSinceLine;
    private long waitNsSinceLine;
    private long epochStartNs;
    private int epochFirstBatch;

    /**
     * @param log       the open log (already cut back to the resumed step)
     * @param logEvery  a step line every this many steps
     * @param batchSize images per step
     * @param logsTau   whether step lines carry {@code tau} (methods with a target network)
     */
    public MetricsListener(MetricsLog log, int logEvery, int batchSize, boolean logsTau) {
        this.log = log;
        this.logEvery = Math.max(1, logEvery);
        this.batchSize = batchSize;
        this.logsTau = logsTau;
    }

    @Override
    public boolean wantsValues(long step, int batch, boolean lastOfEpoch) {
        return step % logEvery == 0 || lastOfEpoch;
    }

    @Override
    public void onEpochStart(int epoch, int firstBatch) {
        epochStartNs = System.nanoTime();
        epochFirstBatch = firstBatch;
    }

    @Override
    public void onStep(StepEvent e) {
        waitNsSinceLine += e.waitNanos();
        stepsSinceLine++;
        if (e.values() == null) {
            return;
        }
        Map<String, Object> rec = new LinkedHashMap<>();
        rec.put("step", e.step());
        rec.put("epoch", e.epoch());
        rec.put("lr", e.lr());
        if (logsTau) {
            rec.put("tau", e.tau());
        }
        rec.putAll(e.values());
        long now = System.nanoTime();
        double secs = Math.max((now - lastLineNs) / 1e9, 1e-9);
        rec.put("img_per_s", stepsSinceLine * batchSize / secs);
        rec.put("wait_ms", waitNsSinceLine / 1e6 / Math.max(1, stepsSinceLine));
        log.write("step", rec);
        lastLineNs = now;
        stepsSinceLine = 0;
        waitNsSinceLine = 0;
    }

    @Override
    public void onEpochEnd(int epoch, long step, int batches) {
        double seconds = (System.nanoTime() - epochStartNs) / 1e9;
        Map<String, Object> rec = new LinkedHashMap<>();
        rec.put("epoch", epoch);
        rec.put("step", step);
        rec.put("seconds", seconds);
        rec.put("img_per_s", batches * (double) batchSize / Math.max(seconds, 1e-9));
        rec.put("batches", batches);
        if (epochFirstBatch > 0) {
            // the batches before the resume ran in an earlier process whose time is not known here: say that
            // seconds and img_per_s cover only this process's part of the epoch
            rec.put("resumed_at_batch", epochFirstBatch);
        }
        log.write("epoch", rec);
    }

    @Override
    public void onEvaluation(int epoch, long step, Map<String, Double> results) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("epoch", epoch);
        line.put("step", step);
        line.putAll(results);
        log.write("eval", line);
    }
}
