package org.selfsup.augment.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The host-built resampling and blur matrices against Pillow 9.4 outputs and plain bilinear interpolation. */
class WeightsTest {
    private static final int[] ROW = {0, 40, 80, 200, 255, 10, 90, 130, 170, 220};

    private static int[] apply(float[] m, int outSize, int[] in) {
        int[] out = new int[outSize];
        for (int o = 0; o < outSize; o++) {
            double acc = 0;
            for (int x = 0; x < in.length; x++) {
                acc += m[o * in.length + x] * in[x];
            }
            out[o] = (int) Math.floor(acc + 0.5);
        }
        return out;
    }

    @Test
    void downscaleMatchesPillowAntialiasing() {
        // Values from PIL 9.4: Image.resize((4,1), BILINEAR) and crop((1,0,8,1)).resize((3,1), BILINEAR).
        assertArrayClose(new int[] {44, 162, 99, 173}, apply(ResampleWeights.crop(10, 0, 10, 4, false), 4, ROW), 0);
        assertArrayClose(new int[] {91, 164, 87}, apply(ResampleWeights.crop(10, 1, 7, 3, false), 3, ROW), 0);
    }

    @Test
    void upscaleMatchesPillowAndPlainBilinear() {
        // PIL 9.4: crop((2,0,6,1)).resize((9,1), BILINEAR).
        assertArrayClose(new int[] {80, 100, 153, 203, 228, 252, 160, 51, 10},
                apply(ResampleWeights.crop(10, 2, 4, 9, false), 9, ROW), 0);
        float[] m = ResampleWeights.crop(10, 2, 4, 9, false);
        for (int o = 0; o < 9; o++) {
            double sx = (o + 0.5) * 4 / 9.0 - 0.5; // plain bilinear with edge clamping
            double expected = plainBilinear(ROW, 2, 4, sx);
            double got = 0;
            for (int x = 0; x < 10; x++) {
                got += m[o * 10 + x] * ROW[x];
            }
            assertEquals(expected, got, 1e-4, "output " + o);
        }
    }

    @Test
    void flipReversesRows() {
        float[] a = ResampleWeights.crop(10, 3, 5, 7, false);
        float[] b = ResampleWeights.crop(10, 3, 5, 7, true);
        for (int o = 0; o < 7; o++) {
            for (int x = 0; x < 10; x++) {
                assertEquals(a[o * 10 + x], b[(6 - o) * 10 + x]);
            }
        }
    }

    @Test
    void rowsSumToOne() {
        float[] m = ResampleWeights.crop(50, 7, 33, 12, false);
        for (int o = 0; o < 12; o++) {
            double s = 0;
            for (int x = 0; x < 50; x++) {
                s += m[o * 50 + x];
                assertTrue(m[o * 50 + x] == 0 || (x >= 7 && x < 40), "weight outside the crop at " + x);
            }
            assertEquals(1.0, s, 1e-5);
        }
    }

    @Test
    void blurMatchesPillowImpulseResponses() {
        // PIL 9.4: a 1x16 image with 255 at x=8, filter(GaussianBlur(r)); Pillow rounds between passes, so ±1.
        int[] impulse = new int[16];
        impulse[8] = 255;
        assertArrayClose(new int[] {0, 0, 0, 0, 0, 0, 0, 11, 233, 11, 0, 0, 0, 0, 0, 0},
                apply(BoxBlurWeights.gaussian(0.3, 16), 16, impulse), 1);
        assertArrayClose(new int[] {0, 0, 0, 0, 0, 1, 14, 60, 103, 60, 14, 1, 0, 0, 0, 0},
                apply(BoxBlurWeights.gaussian(1.0, 16), 16, impulse), 1);
        assertArrayClose(new int[] {0, 0, 0, 0, 3, 14, 31, 50, 57, 50, 31, 14, 3, 0, 0, 0},
                apply(BoxBlurWeights.gaussian(1.7, 16), 16, impulse), 1);
    }

    @Test
    void blurPreservesConstantImagesAtEdges() {
        float[] k = BoxBlurWeights.gaussian(2.0, 8);
        for (int i = 0; i < 8; i++) {
            double s = 0;
            for (int j = 0; j < 8; j++) {
                s += k[i * 8 + j];
            }
            assertEquals(1.0, s, 1e-6); // edge extension keeps a flat image flat
        }
    }

    static double plainBilinear(int[] row, int start, int length, double sx) {
        sx = Math.max(0, Math.min(length - 1, sx));
        int x0 = (int) Math.floor(sx);
        int x1 = Math.min(x0 + 1, length - 1);
        double f = sx - x0;
        return row[start + x0] * (1 - f) + row[start + x1] * f;
    }

    private static void assertArrayClose(int[] expected, int[] actual, int tol) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertTrue(Math.abs(expected[i] - actual[i]) <= tol,
                    "index " + i + ": expected " + expected[i] + " got " + actual[i] + " in " + java.util.Arrays.toString(actual));
        }
    }
}
