package org.selfsup.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.Map;
import org.selfsup.config.Choices.EmaTiming;
import org.selfsup.distributed.GradientReducer;
import org.selfsup.method.LossOutput;
import org.selfsup.method.SslMethod;
import org.selfsup.method.StepContext;
import org.selfsup.model.Scalars;
import org.selfsup.optim.Optimizer;
import org.selfsup.runtime.Autocast;
import org.selfsup.runtime.LossScaler;
import org.selfsup.runtime.StepPrecision;
import org.selfsup.util.MetricKeys;

/**
 * One training step, shared by {@link TrainLoop} and the step benchmark ({@code selfsup bench step}):
 * EMA (if before-forward), forward + loss under a gradient collector, backward, the gradient reducer
 * (data-parallel runs: gradients averaged over the ranks), optimiser step with the schedule's learning
 * rate, zeroed gradients, EMA (if after-step). Nothing is read back to the host (the learning rate and
 * tau come from the schedule's device tables): the
 * returned loss arrays live in the caller's per-step manager and are only read when a step is logged.
 *
 * <p>With gradient accumulation ({@code accumulate-steps} N) a step is N calls of {@link #accumulate} (forward
 * and backward of one batch, the loss divided by N) and one {@link #finish} (reduction, optimiser, EMA): the
 * all-reduce runs once per optimiser step, the EMA and the schedules count optimiser steps.
 *
 * <p>This is THE training step: mixed precision (autocast around forward + loss, loss scaling around
 * backward and the optimiser step) and data parallelism (gradient all-reduce between backward and the
 * optimiser step) plug in here as small objects given to the constructor, at the two places marked in
 * {@link #step}; the loop and its listeners do not change for them.
 */
public final class StepRunner {
    private final SslMethod method;
    private final TrainableModel model;
    private final StepPrecision precision;
    private final Optimizer opt;
    private final Ema ema;
    private final EmaTiming timing;
    private final RunSchedule schedule;
    private final GradientReducer reducer;
    private final NDManager manager;
    private final long[] phaseNanos = new long[3];

    /**
     * @param method  the loss
     * @param model   networks and parameters
     * @param precision the forward passes' arithmetic and the optimiser over the model's trainable
     *                  parameters (with fp16 behind the loss scaler the step multiplies the loss by)
     * @param ema     target-network EMA, or null for methods without a target
     * @param timing  when the EMA runs
     * @param schedule learning rate and tau of every step: the step reads them from its device tables
     *                (tau required when there is an EMA)
     * @param reducer runs between backward and the optimiser step: the gradient all-reduce of a
     *                data-parallel run, {@link GradientReducer#NONE} for one process
     * @param manager the model's device manager (for the gradient collector's engine)
     */
    public StepRunner(SslMethod method, TrainableModel model, StepPrecision precision, Ema ema, EmaTiming timing,
                      RunSchedule schedule, GradientReducer reducer, NDManager manager) {
        if (ema != null && !schedule.hasTau()) {
            throw new IllegalArgumentException("the model has an EMA target: the schedule needs tau");
        }
        this.method = method;
        this.model = model;
        this.precision = precision;
        this.opt = precision.optimizer();
        this.ema = ema;
        this.timing = timing;
        this.schedule = schedule;
        this.reducer = reducer;
        this.manager = manager;
    }

    /** The learning rate and tau of every step (the loop logs its host values). */
    public RunSchedule schedule() {
        return schedule;
    }

    /** Zeroes every gradient before the first step (DJL's PyTorch engine accumulates them). */
    public void zeroGrad() {
        opt.zeroGrad();
    }

    /** Host time of the last step's gradient reduction in nanoseconds (0 for one process). */
    public long lastReduceNanos() {
        return reducer.lastNanos();
    }

    /**
     * Runs one step.
     *
     * @param sm    the step's sub-manager: views, activations and the returned loss live there
     * @param views normalised float32 NCHW views by name, on the model's device
     * @param ctx   step k (1-based), total steps and epoch; the learning rate and tau are the schedule's
     *              for step k
     * @return the loss output (arrays attached to {@code sm})
     */
    public LossOutput step(NDManager sm, Map<String, NDArray> views, StepContext ctx) {
        LossOutput out = accumulate(sm, views, ctx, 0, 1);
        return finish(sm, ctx, out);
    }

    /**
     * The first part of a step made of {@code of} batches (gradient accumulation): forward, loss and backward
     * of batch {@code micro} (0-based) of the step, its gradients added to those of the step's earlier batches.
     * The loss is divided by {@code of}, so that after the last batch the gradients are the mean over the
     * step's batches: with a loss that is a mean over its batch (and no BatchNorm, which normalises each
     * batch by its own statistics) the step equals one step on the concatenated batch. The EMA, when it runs
     * before the forward pass, runs before batch 0 only. Follow the last batch with {@link #finish}.
     *
     * @param sm    this batch's manager: its views and activations live there
     * @param ctx   the optimiser step k (the same for all the step's batches)
     * @return the batch's loss output (unscaled, attached to {@code sm})
     */
    public LossOutput accumulate(NDManager sm, Map<String, NDArray> views, StepContext ctx, int micro, int of) {
        long t0 = System.nanoTime();
        if (micro == 0) {
            phaseNanos[0] = 0;
            phaseNanos[1] = 0;
            if (ema != null && timing == EmaTiming.BEFORE_FORWARD) {
                updateEma(sm, ctx.step());
            }
        }
        long t1 = System.nanoTime();
        ParameterStore ps = new ParameterStore(sm, false);
        LossOutput out;
        try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
            Autocast autocast = precision.autocast();
            try (Autocast.Region r = autocast.stepRegion()) {
                out = method.loss(autocast.wrap(model.networks(ps)), views, ctx);
            }
            NDArray loss = of == 1 ? out.total() : out.total().div(Scalars.of(sm, of));
            gc.backward(precision.lossForBackward(loss));
        }
        long t2 = System.nanoTime();
        phaseNanos[0] += t1 - t0;
        phaseNanos[1] += t2 - t1;
        return out;
    }

    /**
     * The second part of a step, after its last batch's {@link #accumulate}: the gradient reduction
     * (data-parallel runs: one all-reduce per optimiser step), the optimiser step with step k's learning
     * rate, zeroed gradients and the EMA when it runs after the step.
     *
     * @param out the last batch's loss output (returned, with the loss scaler's values added under fp16)
     */
    public LossOutput finish(NDManager sm, StepContext ctx, LossOutput out) {
        long t1 = System.nanoTime();
        // data parallel: the gradients are averaged over the ranks here, before the optimiser reads them
        reducer.reduce(sm);
        long t2 = System.nanoTime();
        opt.step(schedule.lrAt(ctx.step(), sm));
        opt.zeroGrad();
        long t3 = System.nanoTime();
        if (ema != null && timing == EmaTiming.AFTER_STEP) {
            updateEma(sm, ctx.step());
        }
        long t4 = System.nanoTime();
        phaseNanos[0] += t4 - t3;
        phaseNanos[1] += t2 - t1;
        phaseNanos[2] = t3 - t2;
        LossScaler scaler = precision.scaler();
        if (scaler != null) {
            out = out.withStat(MetricKeys.LOSS_SCALE, scaler.scaleArray(sm))
                    .withStat(MetricKeys.AMP_SKIPPED, scaler.skippedArray(sm));
        }
        return out;
    }

    private void updateEma(NDManager sm, long k) {
        ema.update(schedule.tauAt(k, sm), schedule.restAt(k, sm));
    }

    /**
     * Host time of the last step's phases in nanoseconds: {EMA, forward + backward + gradient reduction,
     * optimiser + zeroGrad}.
     * Exact on the CPU engine (ops run synchronously); on a GPU these are launch times only.
     */
    public long[] lastPhaseNanos() {
        return phaseNanos.clone();
    }
}
