package org.selfsup.augment.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.selfsup.data.Image;

/** The longer-side cap of the pre-resized store: FFCV's max_resolution geometry, PIL's resize, no crop. */
class CapLongerSideTest {
    private static Image random(int h, int w) {
        byte[] b = new byte[h * w * 3];
        new Random(h * 31L + w).nextBytes(b);
        return new Image(h, w, 3, b);
    }

    @Test
    void landscape500x375Becomes256x192() {
        Image out = new CapLongerSide(256, Resampling.BICUBIC).apply(random(375, 500));
        assertEquals(192, out.height());
        assertEquals(256, out.width());
    }

    @Test
    void portraitCapsItsLongerSideToo() {
        Image out = new CapLongerSide(256, Resampling.BICUBIC).apply(random(500, 375));
        assertEquals(256, out.height());
        assertEquals(192, out.width());
    }

    @Test
    void shorterSideIsTruncatedAndNeverZero() {
        CapLongerSide cap = new CapLongerSide(256, Resampling.BICUBIC);
        assertArrayEquals(new int[] {170, 256}, cap.outputSize(333, 500)); // 333 * 256 / 500 = 170.5
        assertArrayEquals(new int[] {1, 256}, cap.outputSize(1, 5000));
        assertArrayEquals(new int[] {256, 256}, cap.outputSize(300, 300));
    }

    @Test
    void pictureWithinTheCapIsKeptAsIs() {
        Image small = random(150, 200);
        assertSame(small, new CapLongerSide(256, Resampling.BICUBIC).apply(small));
        Image exact = random(192, 256);
        assertSame(exact, new CapLongerSide(256, Resampling.BICUBIC).apply(exact));
    }

    @Test
    void pixelsArePilResizeOfTheWholePicture() {
        Image in = random(375, 500);
        Image expected = new ResizedCrop(0, 0, 375, 500, 192, 256, Resampling.BICUBIC).apply(in);
        assertEquals(expected, new CapLongerSide(256, Resampling.BICUBIC).apply(in));
    }
}
