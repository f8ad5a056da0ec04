package org.selfsup.augment.device;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.selfsup.augment.BatchAssembler;
import org.selfsup.augment.ViewBatch;
import org.selfsup.augment.plans.PlanOptions;
import org.selfsup.augment.plans.ViewPlans;
import org.selfsup.data.ImageStore;
import org.selfsup.data.Normalization;
import org.selfsup.data.readers.SyntheticImages;

/**
 * How far the device path's views are from the PIL-exact CPU path's ({@link BatchAssembler}) for the same
 * images, seed and epoch, measured in uint8 levels (a normalised difference times the channel's std times
 * 255): the mean absolute difference, the fraction of values within 0.01 levels ("identical") and the
 * largest difference, per view. Both paths draw the same parameters for an image, so this is a per-pixel
 * comparison, not only a statistical one.
 */
public final class DeviceViewParity {
    private DeviceViewParity() {}

    /**
     * One view's agreement.
     *
     * @param view          view name
     * @param values        values compared
     * @param meanAbsLevels mean absolute difference in uint8 levels
     * @param identical     fraction of values within 0.01 levels
     * @param maxAbsLevels  largest absolute difference in uint8 levels
     */
    public record ViewParity(String view, long values, double meanAbsLevels, double identical, double maxAbsLevels) {
        /** One JSON object. */
        public String toJson(String plan, int images, int size, String device) {
            return String.format(Locale.ROOT, "{\"what\":\"device vs CPU views\",\"plan\":\"%s\",\"view\":\"%s\","
                    + "\"images\":%d,\"size\":%d,\"device\":\"%s\",\"values\":%d,\"mean_abs_levels\":%.5f,"
                    + "\"identical\":%.6f,\"max_abs_levels\":%.3f}", plan, view, images, size, device, values,
                    meanAbsLevels, identical, maxAbsLevels);
        }
    }

    /** Compares {@code images} synthetic colour images of {@code size} under {@code plan} on the default device. */
    public static List<ViewParity> synthetic(String plan, int images, int size, long seed) {
        ImageStore store = SyntheticImages.generate("parity", images, 10, size, 5, 0);
        try (NDManager manager = NDManager.newBaseManager()) {
            return compare(plan, store, size, Normalization.CIFAR, seed, manager);
        }
    }

    /** Compares the first {@code store.size()} images of {@code store} on {@code manager}'s device. */
    public static List<ViewParity> compare(String plan, ImageStore store, int size, Normalization norm, long seed,
                                           NDManager manager) {
        int[] idx = new int[store.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        ViewBatch cpu;
        try (BatchAssembler assembler = new BatchAssembler(store, ViewPlans.create(plan, size, PlanOptions.defaults()),
                norm, 2, seed)) {
            cpu = assembler.assemble(1, idx);
        }
        List<ViewParity> out = new ArrayList<>();
        try (DeviceAugmenter aug = new DeviceAugmenter(DevicePlan.create(plan, size), norm, manager, true);
             NDManager batch = manager.newSubManager()) {
            DeviceViews dev = aug.augment(store, idx, seed, 1, batch);
            int plane = size * size;
            for (String view : dev.names()) {
                float[] d = dev.view(view).toFloatArray();
                float[] c = cpu.view(view);
                double sumAbs = 0;
                double max = 0;
                long identical = 0;
                for (int k = 0; k < c.length; k++) {
                    double levels = Math.abs(c[k] - d[k]) * norm.std()[(k / plane) % 3] * 255;
                    sumAbs += levels;
                    max = Math.max(max, levels);
                    identical += levels < 0.01 ? 1 : 0;
                }
                out.add(new ViewParity(view, c.length, sumAbs / c.length, identical / (double) c.length, max));
            }
        }
        return out;
    }
}
