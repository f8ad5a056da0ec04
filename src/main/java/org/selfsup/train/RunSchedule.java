package org.selfsup.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.function.LongToDoubleFunction;
import org.selfsup.config.TrainConfig;

/**
 * The learning rate and EMA rate tau of every step of a run, in the two forms a run needs, from one
 * definition so that they cannot disagree: host values for the loop and its listeners (the logged
 * {@code lr} and {@code tau}), and the same values uploaded once as {@link DeviceSchedule} tables for the
 * step (learning rate, tau and 1 − tau of step k read on the device, with no per-step host-to-device
 * copy). Step k (1-based) is batch (k − 1) mod S of epoch (k − 1) div S, S the steps per epoch.
 */
public final class RunSchedule implements AutoCloseable {
    /** The learning rate by position in the run. */
    @FunctionalInterface
    private interface LrByBatch {
        double lr(int epoch, long batch);
    }

    private final LrByBatch lr;
    private final LongToDoubleFunction tau;
    private final DeviceSchedule lrTable;
    private final DeviceSchedule tauTable;
    private final DeviceSchedule restTable;

    /**
     * @param tau  tau by step k, or null without EMA
     * @param steps K, the rows of each table
     */
    private RunSchedule(LrByBatch lr, LongToDoubleFunction tau, long steps, int stepsPerEpoch, NDManager manager) {
        this.lr = lr;
        this.tau = tau;
        // the tables live under the model's manager: freed with it even if a later one fails to upload
        this.lrTable = new DeviceSchedule(manager, steps,
                k -> lr.lr((int) ((k - 1) / stepsPerEpoch), (k - 1) % stepsPerEpoch));
        this.tauTable = tau == null ? null : new DeviceSchedule(manager, steps, tau);
        this.restTable = tau == null ? null : new DeviceSchedule(manager, steps, k -> 1 - tau.applyAsDouble(k));
    }

    /**
     * The schedules {@link LrSchedule} gives for {@code config} ({@code lr-schedule}, {@code ema-schedule}).
     *
     * @param stepsPerEpoch S
     * @param total         K = epochs · S
     * @param withEma       whether the model has an EMA target (else tau is NaN and has no tables)
     * @param manager       the model's device manager (the tables live under it)
     */
    public static RunSchedule forRun(TrainConfig config, int stepsPerEpoch, long total, boolean withEma,
                                     NDManager manager) {
        return new RunSchedule((epoch, batch) -> LrSchedule.lr(config, epoch, batch, stepsPerEpoch),
                withEma ? k -> LrSchedule.tau(config, k, total) : null, Math.max(1, total), stepsPerEpoch, manager);
    }

    /**
     * The same learning rate and tau at every one of {@code steps} steps (benchmarks, tests); {@code tau} is
     * ignored when {@code withEma} is false.
     */
    public static RunSchedule constant(double lr, double tau, long steps, boolean withEma, NDManager manager) {
        return new RunSchedule((epoch, batch) -> lr, withEma ? k -> tau : null, steps, Math.toIntExact(steps),
                manager);
    }

    /** Whether there is an EMA rate (the model has a target network). */
    public boolean hasTau() {
        return tau != null;
    }

    /** Host value: the learning rate of batch {@code batch} (0-based) of {@code epoch}. */
    public double lr(int epoch, int batch) {
        return lr.lr(epoch, batch);
    }

    /** Host value: the EMA rate tau of step k (NaN without a target network). */
    public double tau(long k) {
        return tau == null ? Double.NaN : tau.applyAsDouble(k);
    }

    /** Device value: the learning rate of step k, a 0-d array attached to {@code step}. */
    public NDArray lrAt(long k, NDManager step) {
        return lrTable.at(k, step);
    }

    /**
     * Device value: tau of step k, a 0-d array attached to {@code step}.
     *
     * @throws IllegalStateException without a target network
     */
    public NDArray tauAt(long k, NDManager step) {
        return emaTable(tauTable).at(k, step);
    }

    /**
     * Device value: 1 − tau of step k (the online weights' share in the EMA), a 0-d array attached to
     * {@code step}.
     *
     * @throws IllegalStateException without a target network
     */
    public NDArray restAt(long k, NDManager step) {
        return emaTable(restTable).at(k, step);
    }

    private static DeviceSchedule emaTable(DeviceSchedule t) {
        if (t == null) {
            throw new IllegalStateException("this schedule has no EMA rate (the model has no target network)");
        }
        return t;
    }

    /** Frees the device tables. */
    @Override
    public void close() {
        lrTable.close();
        if (tauTable != null) {
            tauTable.close();
            restTable.close();
        }
    }
}
