package org.selfsup.augment.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.selfsup.data.Image;

/** On large pictures {@link Saturation} reads a (luma, value) table: the same values as PIL's per-pixel blend. */
class SaturationTableTest {
    @Test
    void tableMatchesPerPixelBlendForAnyFactor() {
        SplittableRandom rng = new SplittableRandom(11);
        byte[] data = new byte[300 * 240 * 3];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) rng.nextInt(256);
        }
        Image in = new Image(300, 240, 3, data);
        for (double factor : new double[] {0.0, 0.37, 0.6, 0.999, 1.4, 2.5, -0.8}) {
            float alpha = (float) factor;
            byte[] expected = new byte[data.length];
            for (int i = 0; i < data.length; i += 3) {
                int l = Pixels.luma(data[i] & 0xFF, data[i + 1] & 0xFF, data[i + 2] & 0xFF);
                for (int c = 0; c < 3; c++) {
                    expected[i + c] = (byte) Pixels.blend(l, data[i + c] & 0xFF, alpha);
                }
            }
            assertArrayEquals(expected, new Saturation(factor).apply(in).data(), "factor " + factor);
        }
    }
}
