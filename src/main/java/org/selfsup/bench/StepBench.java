package org.selfsup.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.selfsup.config.TrainConfig;
import org.selfsup.distributed.Distributed;
import org.selfsup.distributed.World;
import org.selfsup.job.RunParts;
import org.selfsup.method.LossOutput;
import org.selfsup.method.SslMethod;
import org.selfsup.method.StepContext;
import org.selfsup.natives.CudaRuntime;
import org.selfsup.train.StepRunner;
import org.selfsup.util.Seeds;
import org.selfsup.util.UserException;

/**
 * Speed of the real training step ({@link StepRunner}, the step the training loop runs) on synthetic
 * normalised views: the model, optimiser, EMA and step a {@link TrainConfig} assembles (the training
 * run's {@link RunParts}, without data and with a constant schedule), {@code warmup} untimed steps, then
 * {@code steps} timed ones. Each timed step includes the host-to-device copy of the views
 * (as in training) and ends with a read of the loss (the one host sync a logged step has), so step
 * times are complete on any device.
 */
public final class StepBench {
    private StepBench() {}

    /**
     * A measurement.
     *
     * @param method        method name
     * @param arch          backbone
     * @param batch         source images per step
     * @param views         views per source image
     * @param size          view side
     * @param device        device the step ran on
     * @param stepMs        wall time of each timed step, in milliseconds
     * @param emaMs         median host time in the EMA update
     * @param forwardBackwardMs median host time in forward + loss + backward
     * @param optimizerMs   median host time in the optimiser step and zeroGrad
     * @param arraysStart   live native arrays of the run's manager before the first timed step
     * @param arraysEnd     live native arrays after the last step
     * @param rssStartKib   process RSS before the first timed step
     * @param rssEndKib     process RSS after the last step
     * @param lastLoss      loss of the last step (finite for a healthy run)
     * @param ranks         data-parallel ranks the step ran on (1 without a launcher); {@code batch} is per rank
     * @param allReduceMs   median host time of the gradient all-reduce per step (0 for one process)
     * @param peakDeviceMemBytes most GPU memory in use after any step (device total minus free, as
     *                      {@code nvidia-smi} counts it), or -1 on the CPU
     */
    public record Result(String method, String arch, int batch, int views, int size, String device, double[] stepMs,
                         double emaMs, double forwardBackwardMs, double optimizerMs, int arraysStart,
                         int arraysEnd, long rssStartKib, long rssEndKib, double lastLoss, int ranks,
                         double allReduceMs, long peakDeviceMemBytes) {
        /** Source images per second of all ranks together (they step in lockstep). */
        public double totalImagesPerSecond() {
            return ranks * sourceImagesPerSecond();
        }

        /** Median step time in milliseconds. */
        public double medianMs() {
            return median(stepMs);
        }

        /** Source images per second at the median step time. */
        public double sourceImagesPerSecond() {
            return batch * 1000.0 / medianMs();
        }
    }

    /**
     * Runs the benchmark.
     *
     * @param config  method, arch, width, blocks, optimiser, momentum, weight decay, EMA settings, seed and
     *                device; {@code batch-size} and {@code image-size} are the step's batch and view side
     * @param views   views per source image (0 = the method's own count, which is the only one allowed)
     * @param steps   timed steps (at least 1)
     * @param warmup  untimed steps first
     */
    public static Result run(TrainConfig config, int views, int steps, int warmup) {
        return run(config, views, steps, warmup, new java.io.PrintWriter(java.io.Writer.nullWriter()));
    }

    /** As {@link #run(TrainConfig, int, int, int)}, printing the acceleration notices to {@code notices}. */
    public static Result run(TrainConfig config, int views, int steps, int warmup, java.io.PrintWriter notices) {
        SslMethod method = config.methodDefinition().create(config.methodOptions());
        int v = views == 0 ? method.views().size() : views;
        if (v != method.views().size()) {
            throw new UserException("--views: method " + config.method + " reads " + method.views().size()
                    + " views " + method.views() + ", not " + v);
        }
        if (steps < 1 || warmup < 0) {
            throw new UserException("--steps must be >= 1 and --warmup >= 0");
        }
        // under a launcher (mpirun, srun, selfsup launch) this is one rank: the batch is split over the
        // ranks and every step ends with the bucketed gradient all-reduce, as in training
        World world = World.detect();
        int b = RunParts.localBatch(config, world.size());
        int s = config.imageSize;
        float[][] host = syntheticViews(v, b, s, config.seed);
        long total = warmup + steps;
        try (RunParts parts = RunParts.openWithoutData(config, world, RunParts.device(config, world), total,
                notices)) {
            Distributed dist = parts.distributed();
            NDManager manager = parts.manager();
            ai.djl.Device device = manager.getDevice();
            StepRunner runner = parts.runner();
            dist.arm("bench step");
            double[] reduceMs = new double[steps];
            double[] stepMs = new double[steps];
            double[][] phases = new double[3][steps];
            int arraysStart = 0;
            long rssStart = 0;
            double loss = Double.NaN;
            long peakMem = -1;
            for (int k = 1; k <= total; k++) {
                if (k == warmup + 1) {
                    // steady state: the lazily created scalars (e.g. the learning rate) exist by now
                    arraysStart = NativeStats.liveArrays(manager);
                    rssStart = NativeStats.rssKib();
                }
                long t0 = System.nanoTime();
                try (NDManager sm = manager.newSubManager()) {
                    Map<String, NDArray> in = upload(parts.method().views(), host, b, s, sm);
                    LossOutput out = runner.step(sm, in, new StepContext(k, total, 0));
                    loss = out.total().getFloat();
                }
                if (device.isGpu()) {
                    peakMem = Math.max(peakMem, CudaRuntime.deviceMemoryUsed()); // after the step's sync
                }
                int i = k - warmup - 1;
                if (i >= 0) {
                    stepMs[i] = (System.nanoTime() - t0) / 1e6;
                    long[] p = runner.lastPhaseNanos();
                    for (int j = 0; j < 3; j++) {
                        phases[j][i] = p[j] / 1e6;
                    }
                    reduceMs[i] = runner.lastReduceNanos() / 1e6;
                }
            }
            return new Result(config.method, config.arch, b, v, s, manager.getDevice().toString(), stepMs,
                    median(phases[0]), median(phases[1]), median(phases[2]), arraysStart,
                    NativeStats.liveArrays(manager), rssStart, NativeStats.rssKib(), loss, dist.ranks(),
                    median(reduceMs), peakMem);
        }
    }

    private static Map<String, NDArray> upload(List<String> names, float[][] host, int b, int s, NDManager sm) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        Shape shape = new Shape(b, 3, s, s);
        for (int i = 0; i < names.size(); i++) {
            out.put(names.get(i), sm.create(host[i], shape));
        }
        return out;
    }

    /** Standard-normal values (what normalised images look like) for {@code v} views of B x 3 x S x S. */
    private static float[][] syntheticViews(int v, int b, int s, long seed) {
        float[][] out = new float[v][b * 3 * s * s];
        for (int i = 0; i < v; i++) {
            SplittableRandom rng = Seeds.stream(seed, Seeds.AUGMENT, -1, i);
            for (int j = 0; j < out[i].length; j++) {
                out[i][j] = (float) gaussian(rng);
            }
        }
        return out;
    }

    private static double gaussian(SplittableRandom rng) {
        double u = 1 - rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextDouble());
    }

    static double median(double[] xs) {
        if (xs.length == 0) {
            return Double.NaN;
        }
        double[] c = xs.clone();
        Arrays.sort(c);
        int n = c.length;
        return n % 2 == 1 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
    }
}
