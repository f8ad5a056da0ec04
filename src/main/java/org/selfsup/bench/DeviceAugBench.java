package org.selfsup.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import org.selfsup.augment.device.DeviceAugmenter;
import org.selfsup.augment.device.DevicePlan;
import org.selfsup.augment.device.DeviceViews;
import org.selfsup.data.ImageStore;
import org.selfsup.data.Normalization;
import org.selfsup.data.readers.SyntheticImages;

/**
 * Throughput of the device augmentation path in source images per second, on synthetic images and the
 * engine's default device. Used by the bench command; runnable by hand:
 * {@code java -cp ... org.selfsup.bench.DeviceAugBench rsa 256 32 10}.
 */
public final class DeviceAugBench {
    private static final int WARMUP_BATCHES = 3;

    private DeviceAugBench() {}

    /**
     * A measurement.
     *
     * @param plan          plan name
     * @param batch         source images per batch
     * @param size          image and view side length
     * @param images        source images processed while timing
     * @param seconds       timed wall-clock seconds
     * @param imagesPerSecond source images per second
     * @param device        the device the arrays lived on
     */
    public record Result(String plan, int batch, int size, long images, double seconds, double imagesPerSecond,
                         String device) {
        /** One JSON object, e.g. for a {@code bench} command's machine-readable line. */
        public String toJson() {
            return String.format(java.util.Locale.ROOT,
                    "{\"bench\":\"device-aug\",\"plan\":\"%s\",\"batch\":%d,\"size\":%d,\"images\":%d,"
                            + "\"seconds\":%.3f,\"src_img_per_s\":%.1f,\"device\":\"%s\"}",
                    plan, batch, size, images, seconds, imagesPerSecond, device);
        }
    }

    /**
     * Runs {@code plan} on batches of {@code batch} synthetic {@code size x size} images for about
     * {@code seconds} after a short warm-up, including the per-batch host parameter sampling and upload.
     *
     * @return source images per second
     */
    public static double run(String plan, int batch, int size, double seconds) {
        return measure(plan, batch, size, seconds).imagesPerSecond();
    }

    /** As {@link #run} with the full result (uint8-exact mode, as training uses it). */
    public static Result measure(String plan, int batch, int size, double seconds) {
        return measure(plan, batch, size, seconds, true);
    }

    /**
     * As {@link #run} with the full result.
     *
     * @param quantize emulate Pillow's uint8 rounding (see {@link DeviceAugmenter}); false = plain float ops
     */
    public static Result measure(String plan, int batch, int size, double seconds, boolean quantize) {
        if (batch < 1 || size < 4 || seconds <= 0) {
            throw new IllegalArgumentException("need batch >= 1, size >= 4 and seconds > 0");
        }
        int pool = Math.max(batch * 4, 256);
        ImageStore store = SyntheticImages.generate("bench", pool, 10, size, 1, 0);
        try (NDManager manager = NDManager.newBaseManager();
             DeviceAugmenter aug = new DeviceAugmenter(DevicePlan.create(plan, size), Normalization.CIFAR, manager, quantize)) {
            int[] indices = new int[batch];
            long b = 0;
            for (; b < WARMUP_BATCHES; b++) {
                runBatch(aug, store, indices, b, manager, false);
            }
            long start = System.nanoTime();
            long deadline = start + (long) (seconds * 1e9);
            long images = 0;
            boolean done;
            do {
                // Synchronise only on the last batch, so queued device work is inside the timed span.
                done = System.nanoTime() >= deadline;
                runBatch(aug, store, indices, b++, manager, done);
                images += batch;
            } while (!done);
            double elapsed = (System.nanoTime() - start) / 1e9;
            return new Result(plan, batch, size, images, elapsed, images / elapsed, manager.getDevice().toString());
        }
    }

    private static void runBatch(DeviceAugmenter aug, ImageStore store, int[] indices, long batchNumber,
                                 NDManager manager, boolean sync) {
        int n = store.size();
        for (int i = 0; i < indices.length; i++) {
            indices[i] = (int) ((batchNumber * indices.length + i) % n);
        }
        try (NDManager batch = manager.newSubManager()) {
            DeviceViews views = aug.augment(store, indices, 7, (int) (batchNumber * indices.length / n), batch);
            if (sync) {
                NDArray last = views.arrays().get(views.arrays().size() - 1);
                last.get(new NDIndex("0, 0, 0, 0")).getFloat(); // waits for the device
            }
        }
    }

    /**
     * {@code plan batch size seconds [exact|float]}, e.g. {@code rsa 256 32 10}; prints a line and a JSON
     * line.
     */
    public static void main(String[] args) {
        String plan = args.length > 0 ? args[0] : "rsa";
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        int size = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        double seconds = args.length > 3 ? Double.parseDouble(args[3]) : 10;
        boolean quantize = args.length <= 4 || !args[4].equals("float");
        Result r = measure(plan, batch, size, seconds, quantize);
        System.out.printf(java.util.Locale.ROOT, "device augmentation %s (%s), batch %d, %dx%d on %s: %.0f src img/s (%d images in %.1f s)%n",
                plan, quantize ? "exact" : "float", batch, size, size, r.device(), r.imagesPerSecond(), r.images(), r.seconds());
        System.out.println(r.toJson());
    }
}
