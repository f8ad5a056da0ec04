package org.selfsup.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.selfsup.config.TrainConfig;
import org.selfsup.data.Dataset;
import org.selfsup.distributed.Distributed;
import org.selfsup.distributed.World;
import org.selfsup.job.RunParts;
import org.selfsup.train.DataParallelListener;
import org.selfsup.train.TrainLoop;
import org.selfsup.train.TrainingListener;
import org.selfsup.train.checkpoint.TrainState;

/**
 * End-to-end training speed with the real input pipeline: the training loop ({@link TrainLoop}) over the
 * parts a {@link TrainConfig} assembles ({@link RunParts}: data set, view plan, model, optimiser, EMA and
 * batch source, CPU assembly or the device path, with prefetch across the epoch boundary), with a timing
 * listener ({@link EpochTimer}) instead of the run folder, checkpoints, metrics file and kNN monitor.
 * Measures source images per second and how long the training thread waited for its batches.
 */
public final class EpochBench {
    private EpochBench() {}

    /**
     * A measurement.
     *
     * @param steps        steps run
     * @param batch        images per step
     * @param seconds      wall time of all steps (the first batch's wait included)
     * @param waitMs       per step: milliseconds the training thread waited for its batch (assembly not
     *                     finished yet, plus the host-to-device copy; on the device path, plus the
     *                     augmentation itself, which runs on the training thread)
     * @param augmentOn    cpu or device
     * @param device       device of the model
     * @param arraysStart  live native arrays after the first step
     * @param arraysEnd    live native arrays after the last step
     * @param rssStartKib  RSS after the first step
     * @param rssEndKib    RSS after the last step
     * @param lastLoss     loss of the last step
     * @param boundaryWaitMs mean wait of the first step of every epoch after the first (NaN with one
     *                     epoch): near the per-step median when the next epoch was prefetched in time
     */
    public record Result(int steps, int batch, double seconds, double[] waitMs, String augmentOn, String device,
                         int arraysStart, int arraysEnd, long rssStartKib, long rssEndKib, double lastLoss,
                         double boundaryWaitMs, int ranks, double allReduceMs) {
        /** Source images per second of this rank ({@code batch} is the per-rank batch). */
        public double imagesPerSecond() {
            return steps * (double) batch / seconds;
        }

        /** Source images per second of all ranks together (they step in lockstep). */
        public double totalImagesPerSecond() {
            return ranks * imagesPerSecond();
        }

        public double totalWaitMs() {
            return Arrays.stream(waitMs).sum();
        }

        public double meanWaitMs() {
            return steps == 0 ? 0 : totalWaitMs() / steps;
        }

        public double medianWaitMs() {
            return StepBench.median(waitMs);
        }
    }

    /**
     * Trains {@code config.epochs} epochs (or {@code maxSteps} steps, whichever comes first) on {@code ds}.
     *
     * @param maxSteps stop after this many steps (0 = no limit)
     */
    public static Result run(TrainConfig config, Dataset ds, long maxSteps) {
        return run(config, ds, maxSteps, true);
    }

    /**
     * As {@link #run(TrainConfig, Dataset, long)}; {@code stageAhead = false} makes the device arrays on the
     * training thread (to measure what staging them ahead saves).
     */
    public static Result run(TrainConfig config, Dataset ds, long maxSteps, boolean stageAhead) {
        return run(config, ds, maxSteps, stageAhead, new java.io.PrintWriter(java.io.Writer.nullWriter()));
    }

    /** As {@link #run(TrainConfig, Dataset, long, boolean)}, printing the acceleration notices to {@code notices}. */
    public static Result run(TrainConfig config, Dataset ds, long maxSteps, boolean stageAhead,
                             java.io.PrintWriter notices) {
        // under a launcher this is one rank: its shard, the per-rank batch and the gradient all-reduce
        World world = World.detect();
        try (RunParts parts = RunParts.open(config, ds, world, RunParts.device(config, world), stageAhead,
                notices)) {
            long total = parts.totalSteps();
            long limit = maxSteps > 0 ? Math.min(maxSteps, total) : total;
            EpochTimer timer = new EpochTimer(parts.manager(), parts.staging(), parts.runner(), limit);
            List<TrainingListener> listeners = new ArrayList<>(List.of(timer));
            Distributed dist = parts.distributed();
            if (dist.active()) {
                listeners.add(new DataParallelListener(dist, parts.manager())); // as in training: the watchdog
            }
            TrainLoop loop = parts.loop(listeners);
            if (limit < total) {
                loop.stopAfterSteps(limit);
            }
            loop.run(TrainState.START);
            return timer.result(parts.localBatch(), "device".equals(config.augmentOn) ? "device" : "cpu",
                    parts.manager().getDevice().toString(), dist.ranks());
        }
    }
}
