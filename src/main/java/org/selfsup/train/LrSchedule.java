package org.selfsup.train;

import org.selfsup.config.TrainConfig;

/** The learning rate and EMA rate of a step, from the configuration's schedule choices. */
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

    /**
     * The loop's rates of a run: {@link #lr} and, with a target network, {@link #tau} (NaN without one).
     *
     * @param stepsPerEpoch steps per epoch
     * @param total         steps of the run
     * @param withEma       whether the model has an EMA target
     */
    public static TrainLoop.Rates rates(TrainConfig c, int stepsPerEpoch, long total, boolean withEma) {
        return new TrainLoop.Rates() {
            @Override
            public double lr(int epoch, int batch) {
                return LrSchedule.lr(c, epoch, batch, stepsPerEpoch);
            }

            @Override
            public double tau(long step) {
                return withEma ? LrSchedule.tau(c, step, total) : Double.NaN;
            }
        };
    }
}
