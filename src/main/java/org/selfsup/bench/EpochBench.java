package org.selfsup.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.Map;
import org.selfsup.config.TrainConfig;
import org.selfsup.data.Dataset;
import org.selfsup.distributed.Distributed;
import org.selfsup.distributed.World;
import org.selfsup.job.RunParts;
import org.selfsup.method.LossOutput;
import org.selfsup.method.StepContext;
import org.selfsup.train.BatchSource;
import org.selfsup.train.StepRunner;

/**
 * End-to-end training speed with the real input pipeline: the data set, view plan, model, optimiser,
 * EMA and batch source (CPU assembly or the device path, with prefetch across the epoch boundary) that
 * {@link RunParts} assembles for a {@link TrainConfig}, stepping through {@link StepRunner} as the
 * training loop does, without the run folder, checkpoints, metrics file or kNN monitor. Measures
 * source images per second and how long the training thread waited for its batches.
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
            NDManager manager = parts.manager();
            NDManager staging = parts.staging();
            StepRunner runner = parts.runner();
            long total = parts.totalSteps();
            long limit = maxSteps > 0 ? Math.min(maxSteps, total) : total;
            Distributed dist = parts.distributed();
            dist.arm("bench epoch");
            double reduceMs = 0;
            double[] waitMs = new double[(int) limit];
            int arraysStart = 0;
            long rssStart = 0;
            double loss = Double.NaN;
            long k = 0;
            double boundaryWait = 0;
            int boundaries = 0;
            long start = System.nanoTime();
            for (int epoch = 0; epoch < config.epochs && k < limit; epoch++) {
                try (BatchSource.Epoch batches = parts.source().epoch(epoch, 0)) {
                    for (int b = 0; batches.hasNext() && k < limit; b++) {
                        k++;
                        try (NDManager sm = manager.newSubManager()) {
                            Map<String, NDArray> views = batches.next(sm);
                            waitMs[(int) k - 1] = batches.lastWaitNanos() / 1e6;
                            if (b == 0 && epoch > 0) {
                                boundaryWait += waitMs[(int) k - 1];
                                boundaries++;
                            }
                            LossOutput out = runner.step(sm, views, new StepContext(k, total, epoch));
                            reduceMs += runner.lastReduceNanos() / 1e6;
                            if (k == limit) {
                                loss = out.total().getFloat(); // the one sync: queued device work is timed
                            }
                        }
                        if (k == 1) {
                            // after one step the lazily created scalars (e.g. the learning rate) exist
                            arraysStart = liveArrays(manager, staging);
                            rssStart = NativeStats.rssKib();
                        }
                    }
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Result((int) k, parts.localBatch(), seconds, waitMs,
                    "device".equals(config.augmentOn) ? "device" : "cpu", manager.getDevice().toString(),
                    arraysStart, liveArrays(manager, staging), rssStart, NativeStats.rssKib(), loss,
                    boundaries == 0 ? Double.NaN : boundaryWait / boundaries, dist.ranks(), k == 0 ? 0 : reduceMs / k);
        }
    }

    /** Live arrays of the run, without the batches staged ahead. */
    private static int liveArrays(NDManager manager, NDManager staging) {
        return NativeStats.liveArrays(manager) - (staging == null ? 0 : NativeStats.liveArrays(staging));
    }
}
