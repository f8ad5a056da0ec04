package org.selfsup.augment.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.selfsup.data.Image;

/**
 * The vectorisable {@link Sharpness} against a per-sample transcription of Pillow's SMOOTH filter
 * (float, its summation order, border left alone) blended with the image, on random shapes and factors
 * (smoothing, sharpening and extrapolating ones).
 */
class SharpnessReferenceTest {
    private static final float K1 = 1f / 13f;
    private static final float K5 = 5f / 13f;

    @Test
    void matchesPillowsFilterAndBlendOnRandomShapesAndFactors() {
        SplittableRandom rng = new SplittableRandom(5);
        for (int trial = 0; trial < 300; trial++) {
            int h = 1 + rng.nextInt(40);
            int w = 1 + rng.nextInt(40);
            int c = rng.nextBoolean() ? 3 : 1;
            byte[] data = new byte[h * w * c];
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) (trial % 3 == 0 ? (rng.nextBoolean() ? 255 : 0) : rng.nextInt(256));
            }
            double factor = rng.nextDouble() * 4 - 1;
            Image in = new Image(h, w, c, data);
            assertArrayEquals(reference(in, (float) factor), new Sharpness(factor).apply(in).data(),
                    "factor " + factor + " on " + h + "x" + w + "x" + c);
        }
    }

    private static byte[] reference(Image in, float alpha) {
        int h = in.height();
        int w = in.width();
        int c = in.channels();
        byte[] src = in.data();
        byte[] out = src.clone();
        int row = w * c;
        for (int y = 1; y < h - 1; y++) {
            int up = (y - 1) * row;
            int mid = y * row;
            int down = (y + 1) * row;
            for (int i = c; i < row - c; i++) {
                float ss = 0f;
                ss += (src[down + i - c] & 0xFF) * K1 + (src[down + i] & 0xFF) * K1 + (src[down + i + c] & 0xFF) * K1;
                ss += (src[mid + i - c] & 0xFF) * K1 + (src[mid + i] & 0xFF) * K5 + (src[mid + i + c] & 0xFF) * K1;
                ss += (src[up + i - c] & 0xFF) * K1 + (src[up + i] & 0xFF) * K1 + (src[up + i + c] & 0xFF) * K1;
                int smooth = ss <= 0f ? 0 : ss >= 255f ? 255 : (int) (ss + 0.5f);
                out[mid + i] = (byte) Pixels.blend(smooth, src[mid + i] & 0xFF, alpha);
            }
        }
        return out;
    }
}
