package org.selfsup.train;

import ai.djl.ndarray.NDManager;
import org.selfsup.config.TrainConfig;

/**
 * The per-step scalars of a run on the device: learning rate, and with an EMA target tau and 1 − tau,
 * for every step k = 1..K (see {@link DeviceSchedule}). Handed to {@link StepRunner#useDeviceSchedules}.
 *
 * @param lr   learning rate by step
 * @param tau  EMA tau by step, or null without EMA
 * @param rest 1 − tau by step, or null without EMA
 */
public record StepSchedules(DeviceSchedule lr, DeviceSchedule tau, DeviceSchedule rest) implements AutoCloseable {
    /**
     * The schedules {@link LrSchedule} gives for {@code config}: step k is batch (k − 1) mod S of epoch
     * (k − 1) div S.
     *
     * @param stepsPerEpoch S
     * @param total         K = epochs · S
     * @param withEma       whether to build the tau tables
     */
    public static StepSchedules forRun(TrainConfig config, int stepsPerEpoch, long total, boolean withEma,
                                       NDManager manager) {
        long k = Math.max(1, total);
        DeviceSchedule lr = new DeviceSchedule(manager, k,
                s -> LrSchedule.lr(config, (int) ((s - 1) / stepsPerEpoch), (s - 1) % stepsPerEpoch, stepsPerEpoch));
        if (!withEma) {
            return new StepSchedules(lr, null, null);
        }
        return new StepSchedules(lr, new DeviceSchedule(manager, k, s -> LrSchedule.tau(config, s, total)),
                new DeviceSchedule(manager, k, s -> 1 - LrSchedule.tau(config, s, total)));
    }

    /** Constant values for every step (benchmarks): {@code tau} is ignored when {@code withEma} is false. */
    public static StepSchedules constant(double lr, double tau, long total, boolean withEma, NDManager manager) {
        DeviceSchedule l = new DeviceSchedule(manager, total, s -> lr);
        return withEma
                ? new StepSchedules(l, new DeviceSchedule(manager, total, s -> tau),
                        new DeviceSchedule(manager, total, s -> 1 - tau))
                : new StepSchedules(l, null, null);
    }

    @Override
    public void close() {
        lr.close();
        if (tau != null) {
            tau.close();
            rest.close();
        }
    }
}
