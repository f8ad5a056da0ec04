package org.selfsup.augment.device;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.selfsup.augment.ImageOp;
import org.selfsup.augment.ops.Brightness;
import org.selfsup.augment.ops.Contrast;
import org.selfsup.augment.ops.GaussianBlur;
import org.selfsup.augment.ops.Grayscale;
import org.selfsup.augment.ops.HorizontalFlip;
import org.selfsup.augment.ops.Hue;
import org.selfsup.augment.ops.ResizedCrop;
import org.selfsup.augment.ops.Saturation;
import org.selfsup.data.Image;
import org.selfsup.data.ImageStore;
import org.selfsup.data.Normalization;
import org.selfsup.data.readers.SyntheticImages;

/**
 * Each device op with {@code quantize} against the PIL-exact uint8 op of {@code augment.ops} on the same
 * images and parameters, one sample per parameter value. Bar: at least 99% of values identical and none
 * off by more than 1 level; hue at least 99% identical and at most 6 levels off (float32 rounding of
 * Pillow's HSV arithmetic near uint8 boundaries, where one H step is up to 6 RGB levels).
 */
class OpsConformanceTest {
    private static final Normalization IDENTITY = new Normalization(new float[] {0, 0, 0}, new float[] {1, 1, 1});
    private static final int N = 32;
    private static NDManager manager;

    @BeforeAll
    static void start() {
        DeviceAugmenterTest.singleThreadedEngine();
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    /** Sets sample i's parameters and returns the matching CPU op. */
    private interface Setup {
        ImageOp set(ViewParams p, int i);
    }

    private static void check(String what, int src, int size, Setup setup, double minIdentical, int maxDiff) {
        ImageStore store = SyntheticImages.generate("s", N, 10, src, 3, 0);
        DevicePlan plan = new DevicePlan("t", size, List.of(DeviceViewRecipe.weak("x", 0.2, 1.0)));
        ViewParams p = new ViewParams(N, true);
        ImageOp[] ref = new ImageOp[N];
        for (int i = 0; i < N; i++) {
            p.cropHeight[i] = src;
            p.cropWidth[i] = src;
            p.factors[i] = new double[] {1, 1, 1, 0};
            p.order[i] = new int[] {0, 1, 2, 3};
            ref[i] = setup.set(p, i);
        }
        float[] out;
        try (DeviceAugmenter aug = new DeviceAugmenter(plan, IDENTITY, manager, true);
             NDManager batch = manager.newSubManager()) {
            ByteBuffer bytes = ByteBuffer.allocate(N * src * src * 3);
            for (int i = 0; i < N; i++) {
                bytes.put(store.pixels(i));
            }
            bytes.rewind();
            out = aug.augment(batch.create(bytes, new Shape(N, src, src, 3), DataType.UINT8),
                    new BatchParams(src, src, List.of(p)), batch).arrays().get(0).toFloatArray();
        }
        long same = 0;
        long total = 0;
        int worst = 0;
        for (int i = 0; i < N; i++) {
            Image r = ref[i].apply(store.image(i));
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < size; y++) {
                    for (int x = 0; x < size; x++) {
                        int d = Math.abs(Math.round(out[((i * 3 + c) * size + y) * size + x] * 255) - r.get(y, x, c));
                        same += d == 0 ? 1 : 0;
                        total++;
                        worst = Math.max(worst, d);
                    }
                }
            }
        }
        double identical = same / (double) total;
        System.out.printf("%-12s identical %.4f, max diff %d%n", what, identical, worst);
        assertTrue(identical >= minIdentical, what + ": only " + identical + " identical");
        assertTrue(worst <= maxDiff, what + ": a value is off by " + worst);
    }

    private static Setup jitter(int op, IntFunction<ImageOp> cpu) {
        return (p, i) -> {
            double f = 0.6 + 0.8 * i / N;
            p.jitter[i] = true;
            p.factors[i][op] = f;
            p.order[i] = new int[] {op, (op + 1) % 4, (op + 2) % 4, (op + 3) % 4};
            return cpu.apply(i);
        };
    }

    @Test
    void brightnessContrastSaturation() {
        check("brightness", 32, 32, jitter(0, i -> new Brightness(0.6 + 0.8 * i / N)), 0.99, 1);
        check("contrast", 32, 32, jitter(1, i -> new Contrast(0.6 + 0.8 * i / N)), 0.99, 1);
        check("saturation", 32, 32, jitter(2, i -> new Saturation(0.6 + 0.8 * i / N)), 0.99, 1);
    }

    @Test
    void hue() {
        check("hue", 32, 32, (p, i) -> {
            double shift = -0.1 + 0.2 * i / N;
            p.jitter[i] = true;
            p.factors[i][3] = shift;
            p.order[i] = new int[] {3, 0, 1, 2};
            return new Hue(shift);
        }, 0.99, 6);
    }

    @Test
    void grayscaleAndBlur() {
        check("grayscale", 32, 32, (p, i) -> {
            p.gray[i] = true;
            return new Grayscale();
        }, 0.99, 1);
        check("blur", 32, 32, (p, i) -> {
            p.blurSigma[i] = 0.1 + 1.9 * i / N;
            return new GaussianBlur(p.blurSigma[i]);
        }, 0.99, 1);
    }

    @Test
    void resizedCropWithFlipUpAndDownscaling() {
        Setup crop = (p, i) -> {
            int src = p.cropHeight[i];
            p.top[i] = i % 3;
            p.left[i] = i % 5;
            p.cropHeight[i] = 10 + (i * 7) % (src - 12);
            p.cropWidth[i] = 10 + (i * 5) % (src - 15);
            p.flip[i] = i % 2 == 0;
            ImageOp rc = new ResizedCrop(p.top[i], p.left[i], p.cropHeight[i], p.cropWidth[i], 24);
            boolean flip = p.flip[i];
            return img -> flip ? new HorizontalFlip().apply(rc.apply(img)) : rc.apply(img);
        };
        check("crop-up", 32, 24, crop, 0.99, 1);  // crops of 10..29 px to 24: mostly upscaling
        check("crop-down", 64, 24, crop, 0.99, 1); // crops of 10..61 px to 24: mostly antialiased downscaling
    }
}
