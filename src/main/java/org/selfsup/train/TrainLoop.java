package org.selfsup.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.selfsup.method.LossOutput;
import org.selfsup.method.StepContext;
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
                for (TrainingListener l : listeners) {
                    l.onEpochStart(epoch, start);
                }
                int batch = start;
                try (BatchSource.Epoch loader = source.epoch(epoch, start)) {
                    while (loader.hasNext()) {
                        k++;
                        step(loader, k, epoch, batch, total);
                        batch++;
                        stepsThisRun++;
                        at = new TrainState(k, epoch, batch);
                        if (stepsThisRun >= stopAfterSteps) {
                            return new Result(at, total, false);
                        }
                    }
                }
                for (TrainingListener l : listeners) {
                    l.onEpochEnd(epoch, k, batch - start);
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

    private void step(BatchSource.Epoch loader, long k, int epoch, int batch, long total) {
        boolean lastOfEpoch = batch == stepsPerEpoch - 1;
        boolean readBack = false;
        for (TrainingListener l : listeners) {
            readBack |= l.wantsValues(k, batch, lastOfEpoch);
        }
        double lr = schedule.lr(epoch, batch);
        double tau = schedule.tau(k);
        try (NDManager sm = manager.newSubManager()) {
            Map<String, NDArray> views = loader.next(sm);
            long wait = loader.lastWaitNanos();
            LossOutput out = runner.step(sm, views, new StepContext(k, total, epoch));
            TrainingListener.StepEvent event = new TrainingListener.StepEvent(k, epoch, batch, lastOfEpoch, lr, tau,
                    wait, readBack ? readBack(out) : null);
            for (TrainingListener l : listeners) {
                l.onStep(event);
            }
        }
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
