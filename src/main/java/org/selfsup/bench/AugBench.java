package org.selfsup.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.selfsup.augment.BatchAssembler;
import org.selfsup.augment.EpochLoader;
import org.selfsup.augment.ViewBatch;
import org.selfsup.augment.ViewPlan;
import org.selfsup.data.ImageSet;
import org.selfsup.data.Normalization;

/**
 * Throughput of the CPU augmentation pipeline in source images per second: the real
 * {@link EpochLoader} (prefetching, {@code threads} assembly threads) over a store, timed after a
 * warm-up that lets the JIT compile the hot ops.
 */
public final class AugBench {
    private AugBench() {}

    /**
     * The outcome of a benchmark.
     *
     * @param plan          view plan name
     * @param views         views per source image
     * @param threads       assembly threads
     * @param size          view side
     * @param batch         batch size
     * @param windows       source images per second of each timed window
     * @param sourceImages  source images assembled in the timed windows
     * @param seconds       total timed seconds
     * @param cpuSeconds    process CPU seconds spent in the timed windows (all threads, incl. GC and
     *                      JIT), or NaN if the JVM cannot tell
     */
    public record Result(String plan, int views, int threads, int size, int batch, double[] windows,
                         long sourceImages, double seconds, double cpuSeconds) {
        /**
         * Source images per CPU-second: the throughput of one fully available core. Unlike the wall-clock
         * rate this hardly changes when other processes share the cores, so {@code threads} times it
         * estimates the rate on {@code threads} dedicated cores.
         */
        public double imagesPerCpuSecond() {
            return sourceImages / cpuSeconds;
        }

        /** Median over the windows of source images per second. */
        public double medianImagesPerSecond() {
            double[] s = windows.clone();
            Arrays.sort(s);
            int n = s.length;
            return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
        }
    }

    /**
     * Runs the benchmark.
     *
     * @param store         source images
     * @param plan          the view plan
     * @param norm          normalisation
     * @param threads       assembly threads
     * @param batch         batch size
     * @param warmupSeconds seconds of untimed warm-up
     * @param seconds       seconds per timed window
     * @param repeats       number of timed windows
     */
    public static Result run(ImageSet store, ViewPlan plan, Normalization norm, int threads, int batch,
                             double warmupSeconds, double seconds, int repeats) {
        if (store.size() < batch) {
            throw new IllegalArgumentException("need at least one batch of images: " + store.size() + " < " + batch);
        }
        try (BatchAssembler asm = new BatchAssembler(store, plan, norm, threads, 0)) {
            int[] epoch = {0};
            consume(asm, batch, epoch, warmupSeconds);
            List<Double> rates = new ArrayList<>();
            long total = 0;
            double totalSeconds = 0;
            double cpu0 = processCpuSeconds();
            for (int r = 0; r < repeats; r++) {
                long t0 = System.nanoTime();
                long images = consume(asm, batch, epoch, seconds);
                double dt = (System.nanoTime() - t0) / 1e9;
                rates.add(images / dt);
                total += images;
                totalSeconds += dt;
            }
            double cpu = processCpuSeconds() - cpu0;
            return new Result(plan.name(), plan.viewNames().size(), threads, plan.size(), batch,
                    rates.stream().mapToDouble(Double::doubleValue).toArray(), total, totalSeconds, cpu);
        }
    }

    private static double processCpuSeconds() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            long ns = os.getProcessCpuTime();
            return ns < 0 ? Double.NaN : ns / 1e9;
        }
        return Double.NaN;
    }

    /** Pulls batches from successive epochs for at least {@code seconds}; returns the images consumed. */
    private static long consume(BatchAssembler asm, int batch, int[] epoch, double seconds) {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long images = 0;
        while (true) {
            try (EpochLoader loader = EpochLoader.training(asm, epoch[0]++, batch, 2)) {
                for (ViewBatch b : loader) {
                    images += b.batchSize();
                    asm.recycle(b); // as the trainer does once a batch is on the device
                    if (System.nanoTime() >= end) {
                        return images;
                    }
                }
            }
        }
    }
}
