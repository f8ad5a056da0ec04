package org.selfsup.train;

import org.selfsup.config.Choices;
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
        return switch (Choices.of(Choices.LrSchedule.class, c.lrSchedule)) {
            case COSINE_EPOCH -> Schedules.cosineEpoch(base, epoch, c.epochs);
            case WARMUP_COSINE_STEP -> Schedules.warmupCosineStep(base, epoch, iter, itersPerEpoch,
                    c.warmupEpochs, c.epochs);
            case DSSL_EPOCH -> Schedules.dsslEpoch(base, epoch + 1, c.warmupEpochs, c.epochs);
        };
    }

    /** EMA rate tau at global step {@code k} of {@code totalSteps}. */
    public static double tau(TrainConfig c, long k, long totalSteps) {
        return switch (Choices.of(Choices.EmaSchedule.class, c.emaSchedule)) {
            case COSINE -> Schedules.emaTau(c.emaBase, k, totalSteps);
            case CONSTANT -> Schedules.emaTauConstant(c.emaBase);
        };
    }
}
