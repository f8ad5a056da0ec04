package org.selfsup.bench;

import ai.djl.ndarray.NDManager;
import org.selfsup.train.StepRunner;
import org.selfsup.train.TrainingListener;
import org.selfsup.train.checkpoint.TrainState;

/**
 * Measures a {@link org.selfsup.train.TrainLoop} for {@code selfsup bench epoch}, as a listener (the pattern
 * of DJL's {@code TimeMeasureTrainingListener}), so that the benchmark times the training loop itself
 * rather than a copy of it: wall time from the first epoch's start to the loop's end, each step's wait
 * for its batch, the wait at each later epoch's first step, the gradient all-reduce, live native arrays
 * and RSS after the first step and at the end, and the loss of the last step (its one host sync, so that
 * queued device work is inside the time).
 */
final class EpochTimer implements TrainingListener {
    private final NDManager run;
    private final NDManager staging;
    private final StepRunner runner;
    private final long lastStep;
    private final double[] waitMs;
    private long startNanos;
    private long endNanos;
    private int steps;
    private double reduceMs;
    private double boundaryWaitMs;
    private int boundaries;
    private int arraysStart;
    private long rssStartKib;
    private int arraysEnd;
    private long rssEndKib;
    private double lastLoss = Double.NaN;

    /**
     * @param run      the run's device manager (its live arrays are counted)
     * @param staging  the sub-manager of batches staged ahead, not counted (null: none)
     * @param runner   the step (for its all-reduce time)
     * @param lastStep the step k the loop stops after
     */
    EpochTimer(NDManager run, NDManager staging, StepRunner runner, long lastStep) {
        this.run = run;
        this.staging = staging;
        this.runner = runner;
        this.lastStep = lastStep;
        this.waitMs = new double[(int) lastStep];
    }

    @Override
    public boolean wantsValues(long step, int batch, boolean lastOfEpoch) {
        if (step == 2) {
            // before the second step, after the first one's manager closed: the lazily created scalars exist
            // by now and no step's arrays are live (the old benchmark's measuring point)
            sampleStart();
        }
        return step == lastStep;
    }

    @Override
    public void onEpochStart(int epoch, int firstBatch) {
        if (startNanos == 0) {
            startNanos = System.nanoTime();
        }
    }

    @Override
    public void onStep(StepEvent e) {
        double wait = e.waitNanos() / 1e6;
        waitMs[steps++] = wait;
        if (e.batch() == 0 && e.epoch() > 0) {
            boundaryWaitMs += wait;
            boundaries++;
        }
        reduceMs += runner.lastReduceNanos() / 1e6;
        if (e.values() != null) {
            lastLoss = e.values().get("loss");
        }
    }

    @Override
    public void onStop(TrainState at, boolean complete) {
        endNanos = System.nanoTime();
        if (steps == 1) {
            sampleStart(); // a one-step run: the first step is also the last
        }
        arraysEnd = liveArrays();
        rssEndKib = NativeStats.rssKib();
    }

    private void sampleStart() {
        arraysStart = liveArrays();
        rssStartKib = NativeStats.rssKib();
    }

    private int liveArrays() {
        return NativeStats.liveArrays(run) - (staging == null ? 0 : NativeStats.liveArrays(staging));
    }

    /** The measurement, after the loop. */
    EpochBench.Result result(int batch, String augmentOn, String device, int ranks) {
        double[] waits = java.util.Arrays.copyOf(waitMs, steps);
        return new EpochBench.Result(steps, batch, (endNanos - startNanos) / 1e9, waits, augmentOn, device,
                arraysStart, arraysEnd, rssStartKib, rssEndKib, lastLoss,
                boundaries == 0 ? Double.NaN : boundaryWaitMs / boundaries, ranks, steps == 0 ? 0 : reduceMs / steps);
    }
}
