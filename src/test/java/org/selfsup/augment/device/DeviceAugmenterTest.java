package org.selfsup.augment.device;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.selfsup.data.ImageStore;
import org.selfsup.data.Normalization;

/** The batched device path (run on CPU) against plain-Java float references. */
class DeviceAugmenterTest {
    private static final Normalization IDENTITY = new Normalization(new float[] {0, 0, 0}, new float[] {1, 1, 1});
    private static NDManager manager;

    /**
     * One PyTorch intra-op thread: on this shared 2-core machine torch's thread pool under
     * oversubscription makes small ops ~30x slower. Only effective before the engine starts.
     */
    static void singleThreadedEngine() {
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", "1");
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
    }

    @BeforeAll
    static void start() {
        singleThreadedEngine();
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    static ImageStore randomStore(int n, int h, int w, int c, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        byte[][] px = new byte[n][h * w * c];
        for (byte[] p : px) {
            for (int i = 0; i < p.length; i++) {
                p[i] = (byte) rng.nextInt(256);
            }
        }
        int[] labels = new int[n];
        Arrays.fill(labels, -1);
        return new ImageStore("random", h, w, c, px, labels, List.of());
    }

    /** Source images as float [n][3][h][w] in [0, 1] (grey repeated). */
    static float[][][][] toFloat(ImageStore store, int[] idx) {
        int h = store.height();
        int w = store.width();
        float[][][][] out = new float[idx.length][3][h][w];
        for (int i = 0; i < idx.length; i++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    for (int c = 0; c < 3; c++) {
                        out[i][c][y][x] = store.image(idx[i]).get(y, x, store.channels() == 1 ? 0 : c) / 255f;
                    }
                }
            }
        }
        return out;
    }

    static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    private static DevicePlan singleView(int size) {
        return new DevicePlan("test", size, List.of(DeviceViewRecipe.weak("x", 0.2, 1.0)));
    }

    /** Parameters for one view: full-image crop, no flip, no colour op, then {@code setup}. */
    private static BatchParams identityParams(int n, int h, int w, Consumer<ViewParams> setup) {
        ViewParams p = new ViewParams(n, true);
        for (int i = 0; i < n; i++) {
            p.cropHeight[i] = h;
            p.cropWidth[i] = w;
            p.factors[i] = new double[] {1, 1, 1, 0};
            p.order[i] = new int[] {0, 1, 2, 3};
        }
        setup.accept(p);
        return new BatchParams(h, w, List.of(p));
    }

    private static float[] run(DeviceAugmenter aug, ImageStore store, BatchParams params) {
        int n = params.batchSize();
        try (NDManager batch = manager.newSubManager()) {
            byte[] bytes = new byte[n * store.height() * store.width() * store.channels()];
            for (int i = 0; i < n; i++) {
                byte[] p = store.pixels(i);
                System.arraycopy(p, 0, bytes, i * p.length, p.length);
            }
            NDArray src = batch.create(java.nio.ByteBuffer.wrap(bytes),
                    new ai.djl.ndarray.types.Shape(n, store.height(), store.width(), store.channels()),
                    ai.djl.ndarray.types.DataType.UINT8);
            DeviceViews views = aug.augment(src, params, batch);
            NDArray v = views.arrays().get(0);
            assertSame(batch, v.getManager());
            assertEquals(new ai.djl.ndarray.types.Shape(n, 3, aug.plan().size(), aug.plan().size()), v.getShape());
            return v.toFloatArray();
        }
    }

    private static float at(float[] out, int s, int i, int c, int y, int x) {
        return out[((i * 3 + c) * s + y) * s + x];
    }

    @Test
    void cropAndFlipEqualPerImageBilinearWhenUpscaling() {
        int h = 12;
        int w = 10;
        int s = 16;
        int n = 12;
        ImageStore store = randomStore(n, h, w, 3, 1);
        Normalization norm = Normalization.CIFAR;
        DevicePlan plan = new DevicePlan("test", s, List.of(DeviceViewRecipe.weak("x", 0.2, 1.0)));
        try (DeviceAugmenter aug = new DeviceAugmenter(plan, norm, manager, false)) {
            BatchParams params = aug.sample(h, w, 7, 0, range(n));
            ViewParams p = params.views().get(0);
            float[] out = run(aug, store, params);
            float[][][][] img = toFloat(store, range(n));
            boolean sawFlip = false;
            boolean sawNoFlip = false;
            for (int i = 0; i < n; i++) {
                sawFlip |= p.flip[i];
                sawNoFlip |= !p.flip[i];
                for (int c = 0; c < 3; c++) {
                    for (int oy = 0; oy < s; oy++) {
                        for (int ox = 0; ox < s; ox++) {
                            double sy = (oy + 0.5) * p.cropHeight[i] / s - 0.5;
                            int srcX = p.flip[i] ? s - 1 - ox : ox;
                            double sx = (srcX + 0.5) * p.cropWidth[i] / s - 0.5;
                            double v = bilinear2d(img[i][c], p.top[i], p.left[i], p.cropHeight[i], p.cropWidth[i], sy, sx);
                            double expected = (v - norm.mean()[c]) / norm.std()[c];
                            assertEquals(expected, at(out, s, i, c, oy, ox), 1e-4,
                                    "sample " + i + " c " + c + " (" + oy + "," + ox + ")");
                        }
                    }
                }
            }
            assertTrue(sawFlip && sawNoFlip, "test should cover flipped and unflipped samples");
        }
    }

    static double bilinear2d(float[][] ch, int top, int left, int hh, int ww, double sy, double sx) {
        sy = Math.max(0, Math.min(hh - 1, sy));
        sx = Math.max(0, Math.min(ww - 1, sx));
        int y0 = (int) Math.floor(sy);
        int x0 = (int) Math.floor(sx);
        int y1 = Math.min(y0 + 1, hh - 1);
        int x1 = Math.min(x0 + 1, ww - 1);
        double fy = sy - y0;
        double fx = sx - x0;
        double a = ch[top + y0][left + x0] * (1 - fx) + ch[top + y0][left + x1] * fx;
        double b = ch[top + y1][left + x0] * (1 - fx) + ch[top + y1][left + x1] * fx;
        return a * (1 - fy) + b * fy;
    }

    static float luma(float r, float g, float b) {
        return (19595f * r + 38470f * g + 7471f * b) / 65536f;
    }

    static float clip(double v) {
        return (float) Math.max(0, Math.min(1, v));
    }

    /** One colour op on one image in plain Java (float, no quantisation). */
    static float[][][] applyOp(float[][][] x, int op, double f) {
        int h = x[0].length;
        int w = x[0][0].length;
        float[][][] out = new float[3][h][w];
        double mean = 0;
        for (int y = 0; y < h; y++) {
            for (int xx = 0; xx < w; xx++) {
                mean += luma(x[0][y][xx], x[1][y][xx], x[2][y][xx]);
            }
        }
        mean /= h * w;
        for (int y = 0; y < h; y++) {
            for (int xx = 0; xx < w; xx++) {
                float r = x[0][y][xx];
                float g = x[1][y][xx];
                float b = x[2][y][xx];
                float l = luma(r, g, b);
                float[] rgb = {r, g, b};
                float[] res = new float[3];
                switch (op) {
                    case 0 -> { for (int c = 0; c < 3; c++) res[c] = clip(rgb[c] * f); }
                    case 1 -> { for (int c = 0; c < 3; c++) res[c] = clip(mean + f * (rgb[c] - mean)); }
                    case 2 -> { for (int c = 0; c < 3; c++) res[c] = clip(l + f * (rgb[c] - l)); }
                    case 3 -> res = hueShift(r, g, b, f);
                    case 4 -> res = new float[] {l, l, l};
                    case 5 -> { for (int c = 0; c < 3; c++) res[c] = rgb[c] >= 128f / 255f ? 1 - rgb[c] : rgb[c]; }
                    default -> throw new IllegalArgumentException();
                }
                for (int c = 0; c < 3; c++) {
                    out[c][y][xx] = res[c];
                }
            }
        }
        return out;
    }

    /** Pillow's hexcone RGB -> HSV, shift, and the textbook sector-wise HSV -> RGB. */
    static float[] hueShift(float r, float g, float b, double shift) {
        float maxc = Math.max(r, Math.max(g, b));
        float minc = Math.min(r, Math.min(g, b));
        if (maxc == minc) {
            return new float[] {r, g, b};
        }
        double s = (maxc - minc) / maxc;
        double rc = (maxc - r) / (maxc - minc);
        double gc = (maxc - g) / (maxc - minc);
        double bc = (maxc - b) / (maxc - minc);
        double h = r == maxc ? bc - gc : g == maxc ? 2 + rc - bc : 4 + gc - rc;
        h = ((h / 6 + shift) % 1 + 1) % 1;
        int sector = (int) Math.floor(h * 6) % 6;
        double f = h * 6 - Math.floor(h * 6);
        double v = maxc;
        double p = v * (1 - s);
        double q = v * (1 - s * f);
        double t = v * (1 - s * (1 - f));
        double[] rgb = switch (sector) {
            case 0 -> new double[] {v, t, p};
            case 1 -> new double[] {q, v, p};
            case 2 -> new double[] {p, v, t};
            case 3 -> new double[] {p, q, v};
            case 4 -> new double[] {t, p, v};
            default -> new double[] {v, p, q};
        };
        return new float[] {clip(rgb[0]), clip(rgb[1]), clip(rgb[2])};
    }

    private static void assertImage(float[][][] expected, float[] out, int s, int i, double tol, String what) {
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < s; y++) {
                for (int x = 0; x < s; x++) {
                    assertEquals(expected[c][y][x], at(out, s, i, c, y, x), tol, what + " sample " + i + " c " + c + " (" + y + "," + x + ")");
                }
            }
        }
    }

    @Test
    void colourJitterSubOpsInPerSampleOrderMatchReference() {
        int s = 6;
        int n = 6;
        ImageStore store = randomStore(n, s, s, 3, 2);
        // Per sample: factors (b, c, s, hue shift) and an order; sample 5 is not jittered.
        double[][] factors = {{1.3, 0.7, 1.5, 0.1}, {0.6, 1.4, 0.2, -0.08}, {1.1, 1.2, 0.9, 0.05},
                {0.9, 0.65, 1.35, -0.1}, {1.25, 1.0, 0.0, 0.02}, {1.4, 1.4, 1.4, 0.1}};
        int[][] orders = {{0, 1, 2, 3}, {3, 2, 1, 0}, {1, 3, 0, 2}, {2, 0, 3, 1}, {3, 0, 2, 1}, {0, 1, 2, 3}};
        BatchParams params = identityParams(n, s, s, p -> {
            for (int i = 0; i < n; i++) {
                p.jitter[i] = i < 5;
                p.factors[i] = factors[i].clone();
                p.order[i] = orders[i].clone();
            }
        });
        try (DeviceAugmenter aug = new DeviceAugmenter(singleView(s), IDENTITY, manager, false)) {
            float[] out = run(aug, store, params);
            float[][][][] img = toFloat(store, range(n));
            for (int i = 0; i < n; i++) {
                float[][][] x = img[i];
                if (i < 5) {
                    for (int op : orders[i]) {
                        // The device emulates torchvision's uint8 hue shift: truncated to whole 1/255 steps.
                        double f = op == 3 ? (long) (factors[i][3] * 255) / 255.0 : factors[i][op];
                        x = applyOp(x, op, f);
                    }
                }
                assertImage(x, out, s, i, 2e-5, "jitter");
            }
        }
    }

    @Test
    void grayscaleBlurAndSolarizeMatchReference() {
        int s = 7;
        int n = 4;
        ImageStore store = randomStore(n, s, s, 3, 3);
        BatchParams params = identityParams(n, s, s, p -> {
            p.gray[1] = true;
            p.gray[3] = true;
            p.blurSigma[2] = 1.3;
            p.blurSigma[3] = 0.6;
            p.solarize[0] = true;
            p.solarize[3] = true;
        });
        try (DeviceAugmenter aug = new DeviceAugmenter(singleView(s), IDENTITY, manager, false)) {
            float[] out = run(aug, store, params);
            float[][][][] img = toFloat(store, range(n));
            ViewParams p = params.views().get(0);
            for (int i = 0; i < n; i++) {
                float[][][] x = img[i];
                if (p.gray[i]) {
                    x = applyOp(x, 4, 0);
                }
                if (p.blurSigma[i] > 0) {
                    x = blurReference(x, BoxBlurWeights.gaussian(p.blurSigma[i], s));
                }
                if (p.solarize[i]) {
                    x = applyOp(x, 5, 0);
                }
                assertImage(x, out, s, i, 2e-5, "gray/blur/solarize");
            }
        }
    }

    static float[][][] blurReference(float[][][] x, float[] k) {
        int s = x[0].length;
        float[][][] out = new float[3][s][s];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < s; y++) {
                for (int xx = 0; xx < s; xx++) {
                    double acc = 0;
                    for (int a = 0; a < s; a++) {
                        for (int b = 0; b < s; b++) {
                            acc += k[y * s + a] * x[c][a][b] * k[xx * s + b];
                        }
                    }
                    out[c][y][xx] = clip(acc);
                }
            }
        }
        return out;
    }

    @Test
    void greySourcesBecomeThreeEqualChannelsAndQuantizedValuesAreOnTheUint8Grid() {
        int n = 8;
        ImageStore store = randomStore(n, 9, 9, 1, 4);
        try (DeviceAugmenter aug = new DeviceAugmenter(DevicePlan.create("byol", 12), IDENTITY, manager, true)) {
            BatchParams params = aug.sample(9, 9, 3, 1, range(n));
            float[] out = run(aug, store, params);
            ViewParams p = params.views().get(0);
            int s = 12;
            for (int i = 0; i < n; i++) {
                for (int y = 0; y < s; y++) {
                    for (int x = 0; x < s; x++) {
                        for (int c = 0; c < 3; c++) {
                            float v = at(out, s, i, c, y, x);
                            assertTrue(v >= 0 && v <= 1);
                            assertEquals(Math.rint(v * 255), v * 255, 1e-3, "value not a multiple of 1/255");
                        }
                        if (!p.jitter[i]) { // without colour jitter a grey image stays grey
                            assertEquals(at(out, s, i, 0, y, x), at(out, s, i, 2, y, x), 1e-6);
                        }
                    }
                }
            }
        }
    }

    @Test
    void sameSeedGivesSameViewsAndOtherEpochsDiffer() {
        ImageStore store = randomStore(10, 16, 16, 3, 5);
        int[] idx = {3, 1, 4, 9, 5};
        try (DeviceAugmenter aug = new DeviceAugmenter(DevicePlan.create("rsa", 16), Normalization.CIFAR, manager, true)) {
            float[][] a = allViews(aug, store, idx, 11, 2);
            float[][] b = allViews(aug, store, idx, 11, 2);
            float[][] c = allViews(aug, store, idx, 11, 3);
            for (int v = 0; v < 4; v++) {
                assertArrayEquals(a[v], b[v], "view " + v);
                assertFalse(Arrays.equals(a[v], c[v]), "epoch 3 should differ, view " + v);
            }
            // A sample's views do not depend on the batch it is in.
            float[][] single = allViews(aug, store, new int[] {4}, 11, 2);
            int per = 3 * 16 * 16;
            for (int v = 0; v < 4; v++) {
                assertArrayEquals(Arrays.copyOfRange(a[v], 2 * per, 3 * per), single[v], 1e-5f, "view " + v);
            }
        }
    }

    private static float[][] allViews(DeviceAugmenter aug, ImageStore store, int[] idx, long seed, int epoch) {
        try (NDManager batch = manager.newSubManager()) {
            DeviceViews views = aug.augment(store, idx, seed, epoch, batch);
            float[][] out = new float[views.arrays().size()][];
            for (int v = 0; v < out.length; v++) {
                out[v] = views.arrays().get(v).toFloatArray();
            }
            return out;
        }
    }

    @Test
    void derivedViewsShareCropAndFlipOfTheirSource() {
        int n = 6;
        ImageStore store = randomStore(n, 16, 16, 3, 6);
        try (DeviceAugmenter aug = new DeviceAugmenter(DevicePlan.create("rsa", 16), IDENTITY, manager, true);
             NDManager batch = manager.newSubManager()) {
            BatchParams params = aug.sample(16, 16, 5, 0, range(n));
            ViewParams a1 = params.views().get(2);
            assertFalse(a1.hasCrop());
            for (int i = 0; i < 4; i++) { // samples 0, 1: no colour op; 2, 3: grayscale only
                a1.jitter[i] = false;
                a1.gray[i] = i >= 2;
                a1.blurSigma[i] = 0;
            }
            byte[] bytes = new byte[n * 16 * 16 * 3];
            for (int i = 0; i < n; i++) {
                System.arraycopy(store.pixels(i), 0, bytes, i * 768, 768);
            }
            NDArray src = batch.create(java.nio.ByteBuffer.wrap(bytes), new ai.djl.ndarray.types.Shape(n, 16, 16, 3),
                    ai.djl.ndarray.types.DataType.UINT8);
            DeviceViews views = aug.augment(src, params, batch);
            assertEquals(List.of("w1", "w2", "a1", "a2"), views.names());
            float[] w1 = views.view("w1").toFloatArray();
            float[] w2 = views.view("w2").toFloatArray();
            float[] a1v = views.view("a1").toFloatArray();
            int per = 3 * 16 * 16;
            for (int i = 0; i < 4; i++) {
                float[] x = Arrays.copyOfRange(w1, i * per, (i + 1) * per);
                float[] y = Arrays.copyOfRange(a1v, i * per, (i + 1) * per);
                assertFalse(Arrays.equals(x, Arrays.copyOfRange(w2, i * per, (i + 1) * per)), "w1 and w2 differ");
                if (i < 2) {
                    assertArrayEquals(x, y, 1e-6f, "a1 without colour ops equals w1, sample " + i);
                } else {
                    for (int k = 0; k < 256; k++) { // grey of w1, pixel for pixel
                        float l = luma(x[k], x[256 + k], x[512 + k]);
                        assertEquals(Math.floor(l * 255 + 0.5) / 255, y[k], 1e-5, "sample " + i + " pixel " + k);
                        assertEquals(y[k], y[512 + k], 1e-6);
                    }
                }
            }
        }
    }

    @Test
    void onlyTheOutputViewsRemainAndNothingAccumulatesAcrossBatches() {
        ImageStore store = randomStore(8, 12, 12, 3, 7);
        try (NDManager root = manager.newSubManager();
             DeviceAugmenter aug = new DeviceAugmenter(DevicePlan.create("rsa", 12), Normalization.CIFAR, root, true)) {
            int constants = ((ai.djl.ndarray.BaseNDManager) root).getManagedArrays().size();
            for (int b = 0; b < 3; b++) {
                try (NDManager batch = root.newSubManager()) {
                    DeviceViews views = aug.augment(store, range(8), 1, b, batch);
                    List<NDArray> left = ((ai.djl.ndarray.BaseNDManager) batch).getManagedArrays();
                    assertEquals(4, left.size(), "arrays left in the batch manager: " + left.size());
                    assertTrue(left.containsAll(views.arrays()));
                }
                assertEquals(constants, ((ai.djl.ndarray.BaseNDManager) root).getManagedArrays().size());
            }
        }
    }
}
