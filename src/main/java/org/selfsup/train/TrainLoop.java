package org.selfsup.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.selfsup.method.LossOutput;
import org.selfsup.method.StepContext;
import org.selfsup.train.checkpoint.TrainState;
import org.selfsup.util.MetricKeys;

/**
 * The one training loop for every method: batches in, steps out. Per step: a sub-manager; the batch's
 * views from the {@link BatchSource}; the step itself ({@link StepRunner}: EMA, forward + loss, backward,
 * optimiser step); the step's values read back to the host only when a listener asks for them; then the
 * {@link TrainingListener}s, in order. After an epoch's last step: the listeners' epoch end (metrics line,
 * checkpoint), then their evaluations.
 *
 * <p>Everything else (metrics, checkpoints, divergence and collapse, progress, kNN monitor) is a listener;
 * building the run's objects from a configuration is the run assembly's job
 * ({@code org.selfsup.job.RunParts}). The benchmark {@code selfsup bench epoch} runs this loop too, timed
 * by a listener.
 */
public final class TrainLoop {
    /** How a call to {@link #run} ended. */
    public record Result(TrainState state, long totalSteps, boolean complete) {}

    private final BatchSource source;
    private final StepRunner runner;
    private final RunSchedule schedule;
    private final NDManager manager;
    private final int epochs;
    private final int stepsPerEpoch;
    private final List<TrainingListener> listeners;
    private final int accumulate;
    private long stopAfterSteps = Long.MAX_VALUE;

    /**
     * @param source        the view batches, epoch after epoch
     * @param runner        the training step (its schedule gives the host values listeners see)
     * @param manager       the model's device manager; each step runs in a sub-manager of it
     * @param epochs        epochs of the run
     * @param stepsPerEpoch batches per epoch (drop-last)
     * @param listeners     called in this order at each moment (see {@link TrainingListener})
     */
    public TrainLoop(BatchSource source, StepRunner runner, NDManager manager, int epochs, int stepsPerEpoch,
                     List<TrainingListener> listeners) {
        this(source, runner, manager, epochs, stepsPerEpoch, 1, listeners);
    }

    /**
     * A loop whose every step accumulates the gradients of {@code accumulate} batches before the optimiser
     * steps ({@code accumulate-steps}): step k, the schedules, the EMA, checkpoints and metrics count optimiser
     * steps; the training state's batch counts batches (always a multiple of {@code accumulate} at a step's
     * end, so a checkpoint never falls inside an accumulation).
     *
     * @param stepsPerEpoch optimiser steps per epoch (the epoch's batches / {@code accumulate}, rounded down:
     *                      the leftover batches of an epoch are not trained on, as drop-last at the
     *                      effective batch)
     */
    public TrainLoop(BatchSource source, StepRunner runner, NDManager manager, int epochs, int stepsPerEpoch,
                     int accumulate, List<TrainingListener> listeners) {
        if (accumulate < 1) {
            throw new IllegalArgumentException("accumulate must be at least 1: " + accumulate);
        }
        this.accumulate = accumulate;
        this.source = source;
        this.runner = runner;
        this.schedule = runner.schedule();
        this.manager = manager;
        this.epochs = epochs;
        this.stepsPerEpoch = stepsPerEpoch;
        this.listeners = List.copyOf(listeners);
    }

    /**
     * Stops (as if killed: no checkpoint beyond the listeners' usual ones) after this many steps; for tests
     * and {@code bench epoch --max-steps}.
     */
    public void stopAfterSteps(long steps) {
        this.stopAfterSteps = steps;
    }

    /** Total steps of the run. */
    public long totalSteps() {
        return (long) epochs * stepsPerEpoch;
    }

    /** Trains from {@code from} to the end (or {@link #stopAfterSteps}). */
    public Result run(TrainState from) {
        long total = totalSteps();
        TrainState at = from;
        boolean complete = false;
        try {
            if (from.step() >= total) {
                complete = true;
                return new Result(from, total, true);
            }
            runner.zeroGrad();
            long k = from.step();
            long stepsThisRun = 0;
            for (int epoch = from.epoch(); epoch < epochs; epoch++) {
                int start = epoch == from.epoch() ? from.batch() : 0;
                if (start % accumulate != 0) {
                    throw new IllegalStateException("resume at batch " + start + " of epoch " + epoch
                            + ", inside an accumulation of " + accumulate + " batches");
                }
                for (TrainingListener l : listeners) {
                    l.onEpochStart(epoch, start);
                }
                int batch = start;
                try (BatchSource.Epoch loader = source.epoch(epoch, start)) {
                    while (batch / accumulate < stepsPerEpoch && loader.hasNext()) {
                        k++;
                        step(loader, k, epoch, batch, total);
                        batch += accumulate;
                        stepsThisRun++;
                        at = new TrainState(k, epoch, batch);
                        if (stepsThisRun >= stopAfterSteps) {
                            return new Result(at, total, false);
                        }
                    }
                }
                for (TrainingListener l : listeners) {
                    l.onEpochEnd(epoch, k, (batch - start) / accumulate);
                }
                at = new TrainState(k, epoch + 1, 0);
                evaluate(epoch, k);
            }
            complete = true;
            return new Result(new TrainState(k, epochs, 0), total, true);
        } finally {
            for (TrainingListener l : listeners) {
                l.onStop(at, complete);
            }
        }
    }

    /** Optimiser step k: its {@code accumulate} batches from {@code batch} on, then the listeners. */
    private void step(BatchSource.Epoch loader, long k, int epoch, int batch, long total) {
        int stepInEpoch = batch / accumulate;
        int lastBatch = batch + accumulate - 1;
        boolean lastOfEpoch = stepInEpoch == stepsPerEpoch - 1;
        boolean readBack = false;
        for (TrainingListener l : listeners) {
            readBack |= l.wantsValues(k, lastBatch, lastOfEpoch);
        }
        double lr = schedule.lr(epoch, stepInEpoch);
        double tau = schedule.tau(k);
        StepContext ctx = new StepContext(k, total, epoch);
        try (NDManager sm = manager.newSubManager()) {
            long wait = 0;
            List<Map<String, Double>> earlier = new ArrayList<>();
            for (int m = 0; m < accumulate - 1; m++) {
                // each earlier batch's views and activations are freed after its backward pass; on a logged
                // step its values are read first, for the step's mean
                try (NDManager mm = sm.newSubManager()) {
                    Map<String, NDArray> views = loader.next(mm);
                    wait += loader.lastWaitNanos();
                    LossOutput out = runner.accumulate(mm, views, ctx, m, accumulate);
                    if (readBack) {
                        earlier.add(readBack(out));
                    }
                }
            }
            Map<String, NDArray> views = loader.next(sm);
            wait += loader.lastWaitNanos();
            LossOutput out = runner.finish(sm, ctx, runner.accumulate(sm, views, ctx, accumulate - 1, accumulate));
            Map<String, Double> values = null;
            if (readBack) {
                values = readBack(out);
                if (!earlier.isEmpty()) {
                    values = mean(values, earlier, out.schedule().keySet());
                }
            }
            TrainingListener.StepEvent event = new TrainingListener.StepEvent(k, epoch, lastBatch, lastOfEpoch, lr,
                    tau, wait, values, views);
            for (TrainingListener l : listeners) {
                l.onStep(event);
            }
        }
    }

    /**
     * The mean over an accumulated step's batches of each loss value and diagnostic; the schedule values and
     * the loss scaler's (only in the last batch's values) are the step's.
     */
    private static Map<String, Double> mean(Map<String, Double> last, List<Map<String, Double>> earlier,
                                            java.util.Set<String> scheduleKeys) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : last.entrySet()) {
            String key = e.getKey();
            boolean perBatch = !scheduleKeys.contains(key) && earlier.stream().allMatch(o -> o.containsKey(key));
            double s = e.getValue();
            if (perBatch) {
                for (Map<String, Double> o : earlier) {
                    s += o.get(key);
                }
                s /= earlier.size() + 1;
            }
            out.put(key, s);
        }
        return out;
    }

    /**
     * Runs every listener's evaluation of {@code epoch} (ending at step k) and reports the merged results;
     * also used on resume to re-run an evaluation that a kill interrupted.
     */
    public void evaluate(int epoch, long k) {
        Map<String, Double> results = new LinkedHashMap<>();
        for (TrainingListener l : listeners) {
            Map<String, Double> r = l.evaluate(epoch, k);
            if (r != null) {
                results.putAll(r);
            }
        }
        if (!results.isEmpty()) {
            for (TrainingListener l : listeners) {
                l.onEvaluation(epoch, k, results);
            }
        }
    }

    /**
     * The host values of a step, in logging order: schedule values, {@code loss}, loss terms (prefixed
     * {@code loss_} unless they start with {@code loss}), {@code shift_} diagnostics, other diagnostics.
     * The one host sync of a logged step.
     */
    static Map<String, Double> readBack(LossOutput out) {
        Map<String, Double> v = new LinkedHashMap<>(out.schedule());
        v.put(MetricKeys.LOSS, (double) out.total().getFloat());
        for (Map.Entry<String, NDArray> t : out.terms().entrySet()) {
            v.put(t.getKey().startsWith(MetricKeys.LOSS) ? t.getKey() : MetricKeys.LOSS_PREFIX + t.getKey(),
                    (double) t.getValue().getFloat());
        }
        for (Map.Entry<String, NDArray> s : out.shift().entrySet()) {
            v.put(MetricKeys.SHIFT_PREFIX + s.getKey(), (double) s.getValue().getFloat());
        }
        for (Map.Entry<String, NDArray> s : out.stats().entrySet()) {
            v.put(s.getKey(), (double) s.getValue().getFloat());
        }
        return v;
    }
}
