package org.selfsup.train;

import org.selfsup.config.TrainConfig;

/**
 * The learning rate and EMA rate of a step, from the configuration's schedule choices ({@code lr-schedule},
 * {@code ema-schedule}) as pure functions of the step's position; {@link RunSchedule} turns them into a
 * run's host values and device tables.
 */
public final class LrSchedule {
    private LrSchedule() {}

    /**
     * Learning rate for the step at {@code (epoch, iter)}.
     *
     * @param epoch         0-based epoch
     * @param iter          0-based iteration within the epoch
     * @param itersPerEpoch steps per epoch
     */
    public static double lr(TrainConfig c, int epoch, long iter, long itersPerEpoch) {
        double base = c.effectiveLr();
        return switch (c.lrSchedule) {
            case "cosine-epoch" -> Schedules.cosineEpoch(base, epoch, c.epochs);
            case "warmup-cosine-step" -> Schedules.warmupCosineStep(base, epoch, iter, itersPerEpoch,
                    c.warmupEpochs, c.epochs);
            case "dssl-epoch" -> Schedules.dsslEpoch(base, epoch + 1, c.warmupEpochs, c.epochs);
            default -> throw new IllegalArgumentException("unknown lr-schedule: " + c.lrSchedule);
        };
    }

    /** EMA rate tau at global step {@code k} of {@code totalSteps}. */
    public static double tau(TrainConfig c, long k, long totalSteps) {
        return switch (c.emaSchedule) {
            case "cosine" -> Schedules.emaTau(c.emaBase, k, totalSteps);
            case "constant" -> Schedules.emaTauConstant(c.emaBase);
            default -> throw new IllegalArgumentException("unknown ema-schedule: " + c.emaSchedule);
        };
    }
}
