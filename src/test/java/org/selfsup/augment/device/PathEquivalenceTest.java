package org.selfsup.augment.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.selfsup.augment.BatchAssembler;
import org.selfsup.augment.ViewBatch;
import org.selfsup.augment.plans.PlanOptions;
import org.selfsup.augment.plans.ViewPlans;
import org.selfsup.augment.random.CropBox;
import org.selfsup.augment.random.RandomResizedCrop;
import org.selfsup.data.ImageStore;
import org.selfsup.data.Normalization;
import org.selfsup.data.readers.SyntheticImages;

/**
 * The device path against the PIL-exact CPU path ({@link BatchAssembler}) on the same images, seed and
 * epoch: per-view, per-channel means and standard deviations, per-image pixel agreement, and the crop
 * area and aspect-ratio distributions.
 *
 * <p>Tolerances (in normalised units, i.e. divided by the channel std, about 0.2 for CIFAR, so 0.01 is
 * roughly half a uint8 level): means within 0.01, stds within 0.01. Both paths currently draw the same
 * parameters for an image and the device path emulates Pillow's uint8 arithmetic, so per pixel at least
 * 99.9% of values must be identical and the mean absolute difference below 0.01 uint8 levels (measured:
 * all identical, on colour synthetic images and on grey Fashion-MNIST); a change in either side's draw
 * order would break only this per-pixel part.
 */
class PathEquivalenceTest {
    private static final int N = 128;
    private static final int SIZE = 32;
    private static final long SEED = 2024;
    private static final Normalization NORM = Normalization.CIFAR;
    private static NDManager manager;
    private static ImageStore store;

    @BeforeAll
    static void start() {
        DeviceAugmenterTest.singleThreadedEngine();
        manager = NDManager.newBaseManager();
        store = SyntheticImages.generate("synthetic", N, 10, SIZE, 5, 0);
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"byol", "rsa"})
    void devicePathMatchesCpuPathStatistics(String planName) {
        compare(planName, store, SIZE, NORM);
    }

    /** Grey 28x28 sources (the embedded Fashion-MNIST subset), repeated to RGB on both paths. */
    @org.junit.jupiter.api.Test
    void greyFashionMnistImagesGiveTheSameViews() {
        org.selfsup.data.Dataset fm = org.selfsup.data.readers.DatasetRegistry.load("fashion-mnist", null, null);
        int[] first = DeviceAugmenterTest.range(N);
        compare("rsa", ((org.selfsup.data.ImageStore) fm.pretrain()).subset("fm", first), 28, fm.normalization());
    }

    private static void compare(String planName, ImageStore store, int size, Normalization norm) {
        int[] idx = DeviceAugmenterTest.range(N);
        ViewBatch cpu;
        long t0 = System.nanoTime();
        try (BatchAssembler assembler = new BatchAssembler(store, ViewPlans.create(planName, size, PlanOptions.defaults()),
                norm, 2, SEED)) {
            cpu = assembler.assemble(1, idx);
        }
        System.out.printf("%s cpu path %.1f ms%n", planName, (System.nanoTime() - t0) / 1e6);
        try (DeviceAugmenter aug = new DeviceAugmenter(DevicePlan.create(planName, size), norm, manager, true);
             NDManager batch = manager.newSubManager()) {
            t0 = System.nanoTime();
            DeviceViews dev = aug.augment(store, idx, SEED, 1, batch);
            System.out.printf("%s device path %.1f ms%n", planName, (System.nanoTime() - t0) / 1e6);
            assertCropDistribution(dev.params(), store.height(), store.width());
            // The same check on a larger sample (host-side parameters only, cheap).
            assertCropDistribution(aug.sample(store.height(), store.width(), SEED, 1, DeviceAugmenterTest.range(3000)),
                    store.height(), store.width());
            assertEquals(cpu.viewNames(), dev.names());
            for (String view : dev.names()) {
                float[] d = dev.view(view).toFloatArray();
                float[] c = cpu.view(view);
                assertEquals(c.length, d.length);
                int plane = size * size;
                for (int ch = 0; ch < 3; ch++) {
                    double[] sc = stats(c, ch, plane);
                    double[] sd = stats(d, ch, plane);
                    System.out.printf("%s %s c%d mean cpu %.4f dev %.4f  std cpu %.4f dev %.4f%n",
                            planName, view, ch, sc[0], sd[0], sc[1], sd[1]);
                    assertEquals(sc[0], sd[0], 0.01, view + " channel " + ch + " mean");
                    assertEquals(sc[1], sd[1], 0.01, view + " channel " + ch + " std");
                }
                // Same parameters per image (both paths split the image stream the same way): compare pixels.
                double sumAbs = 0;
                int identical = 0;
                for (int k = 0; k < c.length; k++) {
                    int ch = (k / plane) % 3;
                    double levels = Math.abs(c[k] - d[k]) * norm.std()[ch] * 255;
                    sumAbs += levels;
                    identical += levels < 0.01 ? 1 : 0;
                }
                double meanAbs = sumAbs / c.length;
                double frac = identical / (double) c.length;
                System.out.printf("%s %s mean |diff| %.4f levels, identical %.5f%n", planName, view, meanAbs, frac);
                assertTrue(meanAbs < 0.01, view + ": mean abs difference " + meanAbs + " uint8 levels");
                assertTrue(frac >= 0.999, view + ": only " + frac + " of values identical");
            }
        }
    }

    /**
     * Crop area fractions and aspect ratios of the device parameters against the CPU path's sampler run on
     * other streams: both in range, and two-sample Kolmogorov–Smirnov distances below the 0.1% critical
     * value {@code 1.95 sqrt(2 / n)} (0.17 for n = 256, 0.05 for n = 3000).
     */
    private static void assertCropDistribution(BatchParams params, int h, int w) {
        List<Double> areas = new java.util.ArrayList<>();
        List<Double> logRatios = new java.util.ArrayList<>();
        for (ViewParams p : params.views()) {
            if (!p.hasCrop()) {
                continue;
            }
            for (int i = 0; i < p.n; i++) {
                areas.add(p.cropHeight[i] * p.cropWidth[i] / (double) (h * w));
                logRatios.add(Math.log(p.cropWidth[i] / (double) p.cropHeight[i]));
            }
        }
        RandomResizedCrop rrc = new RandomResizedCrop(SIZE, 0.2, 1.0);
        List<Double> refAreas = new java.util.ArrayList<>();
        List<Double> refLogRatios = new java.util.ArrayList<>();
        for (int i = 0; i < areas.size(); i++) {
            CropBox b = rrc.sampleBox(h, w, org.selfsup.util.Seeds.stream(SEED + 1, i));
            refAreas.add(b.area() / (double) (h * w));
            refLogRatios.add(Math.log(b.width() / (double) b.height()));
        }
        for (int i = 0; i < areas.size(); i++) {
            assertTrue(areas.get(i) > 0.15 && areas.get(i) <= 1.0, "area fraction " + areas.get(i));
            assertTrue(Math.abs(logRatios.get(i)) < Math.log(4.0 / 3.0) + 0.15, "log aspect " + logRatios.get(i));
        }
        double ksArea = ks(areas, refAreas);
        double ksRatio = ks(logRatios, refLogRatios);
        System.out.printf("crop KS distance: area %.3f, log aspect %.3f (n=%d)%n", ksArea, ksRatio, areas.size());
        double critical = 1.95 * Math.sqrt(2.0 / areas.size());
        assertTrue(ksArea < critical, "area distribution KS " + ksArea + " >= " + critical);
        assertTrue(ksRatio < critical, "aspect distribution KS " + ksRatio + " >= " + critical);
    }

    /** Two-sample Kolmogorov–Smirnov statistic. */
    static double ks(List<Double> a, List<Double> b) {
        double[] x = a.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double[] y = b.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int i = 0;
        int j = 0;
        double d = 0;
        while (i < x.length && j < y.length) {
            double v = Math.min(x[i], y[j]);
            while (i < x.length && x[i] <= v) {
                i++;
            }
            while (j < y.length && y[j] <= v) {
                j++;
            }
            d = Math.max(d, Math.abs(i / (double) x.length - j / (double) y.length));
        }
        return d;
    }

    /** Mean and std of channel {@code ch} over the batch. */
    private static double[] stats(float[] a, int ch, int plane) {
        double s = 0;
        double s2 = 0;
        long n = 0;
        for (int i = 0; i < a.length / (3 * plane); i++) {
            int base = (i * 3 + ch) * plane;
            for (int p = 0; p < plane; p++) {
                double v = a[base + p];
                s += v;
                s2 += v * v;
                n++;
            }
        }
        double m = s / n;
        return new double[] {m, Math.sqrt(Math.max(0, s2 / n - m * m))};
    }
}
