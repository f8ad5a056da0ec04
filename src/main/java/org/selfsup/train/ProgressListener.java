package org.selfsup.train;

import java.util.Map;
import org.selfsup.train.checkpoint.TrainState;

/**
 * The console progress of a run: on every step whose values were read back, the bar (or a plain line)
 * with loss, images per second and ETA; a line per evaluated epoch.
 */
public final class ProgressListener implements TrainingListener {
    private final ProgressBar bar;
    private final int epochs;
    private final long totalSteps;
    private final int batchSize;
    private final long startNs = System.nanoTime();
    private long lastUpdateNs = startNs;
    private long stepsSinceUpdate;
    private long stepsThisRun;

    /**
     * @param bar        where to draw
     * @param epochs     epochs of the run
     * @param totalSteps steps of the run
     * @param batchSize  images per step
     */
    public ProgressListener(ProgressBar bar, int epochs, long totalSteps, int batchSize) {
        this.bar = bar;
        this.epochs = epochs;
        this.totalSteps = totalSteps;
        this.batchSize = batchSize;
    }

    @Override
    public void onStep(StepEvent e) {
        stepsSinceUpdate++;
        if (e.values() == null) {
            stepsThisRun++;
            return;
        }
        long now = System.nanoTime();
        double imgPerSec = stepsSinceUpdate * batchSize / Math.max((now - lastUpdateNs) / 1e9, 1e-9);
        double perStep = (now - startNs) / 1e9 / Math.max(1, stepsThisRun + 1);
        bar.update(e.step(), e.epoch(), epochs, e.values().get("loss"), imgPerSec, perStep * (totalSteps - e.step()));
        lastUpdateNs = now;
        stepsSinceUpdate = 0;
        stepsThisRun++;
    }

    @Override
    public void onEvaluation(int epoch, long step, Map<String, Double> results) {
        bar.message("epoch " + (epoch + 1) + " eval: " + results);
    }

    @Override
    public void onStop(TrainState at, boolean complete) {
        bar.finish();
    }
}
