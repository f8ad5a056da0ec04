package org.selfsup.augment.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.selfsup.augment.ImageOp;
import org.selfsup.data.Image;

/** Hand-made cases: degenerate sizes, identity parameters and values worked out from Pillow's formulas. */
class OpsEdgeCaseTest {
    private static Image random(int h, int w, long seed) {
        byte[] data = new byte[h * w * 3];
        new Random(seed).nextBytes(data);
        return new Image(h, w, 3, data);
    }

    private static Image pixel(int r, int g, int b) {
        return new Image(1, 1, 3, new byte[] {(byte) r, (byte) g, (byte) b});
    }

    private static int[] rgb(Image img, int y, int x) {
        return new int[] {img.get(y, x, 0), img.get(y, x, 1), img.get(y, x, 2)};
    }

    private static List<ImageOp> allOps() {
        return List.of(new ResizedCrop(2, 3, 7, 9, 5), new ResizedCrop(0, 0, 4, 4, 11, 6), new HorizontalFlip(),
                new Brightness(0.7), new Contrast(1.6), new Saturation(0.3), new Sharpness(1.9), new Hue(-0.2),
                new Grayscale(), new GaussianBlur(1.3), new AutoContrast(), new Equalize(), new Invert(),
                new Posterize(3), new Solarize(100.5), new SolarizeAdd(40, 128), new Rotate(17), new ShearX(0.2),
                new ShearY(-0.25), new TranslateX(3.7), new TranslateY(-2.2), new Affine(0.9, 0.1, 1, -0.1, 1.1, -2),
                new Cutout(4, 5, 6), new GridShuffle(2, new int[] {3, 2, 1, 0}));
    }

    @Test
    void opsNeverModifyTheirInputAndAllocateTheirOutput() {
        Image in = random(13, 17, 1);
        Image before = in.copy();
        for (ImageOp op : allOps()) {
            Image out = op.apply(in);
            assertEquals(before, in, op.toString());
            assertNotSame(in.data(), out.data(), op.toString());
        }
    }

    @Test
    void onePixelImages() {
        Image in = pixel(200, 100, 50);
        for (ImageOp op : allOps()) {
            if (op instanceof ResizedCrop || op instanceof GridShuffle) {
                continue;
            }
            Image out = op.apply(in);
            assertEquals(1, out.height(), op.toString());
            assertEquals(1, out.width(), op.toString());
        }
        // A rotation about the pixel centre, blur, smoothing and stretching leave a lone pixel alone.
        assertEquals(in, new Rotate(33).apply(in));
        assertEquals(in, new GaussianBlur(2.0).apply(in));
        assertEquals(in, new Sharpness(0.0).apply(in));
        assertEquals(in, new AutoContrast().apply(in));
        assertEquals(in, new Equalize().apply(in));
        assertArrayEquals(new int[] {55, 155, 205}, rgb(new Invert().apply(in), 0, 0));
        int luma = (200 * 19595 + 100 * 38470 + 50 * 7471 + 0x8000) >> 16;
        assertArrayEquals(new int[] {luma, luma, luma}, rgb(new Grayscale().apply(in), 0, 0));
        // Upscaling one pixel gives a constant image.
        Image up = new ResizedCrop(0, 0, 1, 1, 3).apply(in);
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 3; x++) {
                assertArrayEquals(new int[] {200, 100, 50}, rgb(up, y, x));
            }
        }
        assertEquals(in, new GridShuffle(1, new int[] {0}).apply(in));
    }

    @Test
    void identityParametersReturnEqualCopies() {
        Image in = random(9, 12, 2);
        List<ImageOp> identities = List.of(new Brightness(1), new Contrast(1), new Saturation(1), new Sharpness(1),
                new GaussianBlur(0), new Posterize(8), new Solarize(256), new SolarizeAdd(0, 256),
                new Rotate(0), new Rotate(360), new Rotate(-720), new Affine(1, 0, 0, 0, 1, 0), new TranslateX(0),
                new TranslateY(-0.4), new ShearX(0), new ShearY(0), new Cutout(3, 3, -1),
                new ResizedCrop(0, 0, 9, 12, 9, 12), new GridShuffle(3, new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8}));
        for (ImageOp op : identities) {
            Image out = op.apply(in);
            assertEquals(in, out, op.toString());
            assertNotSame(in.data(), out.data(), op.toString());
        }
    }

    @Test
    void quarterTurnsAndHalfTurn() {
        Image in = random(6, 6, 3);
        Image r90 = new Rotate(90).apply(in);
        // Counter-clockwise: the output's top-left pixel is the input's top-right one.
        assertArrayEquals(rgb(in, 0, 5), rgb(r90, 0, 0));
        assertArrayEquals(rgb(in, 5, 5), rgb(r90, 0, 5));
        assertEquals(r90, new Rotate(-270).apply(in));
        Image r180 = new Rotate(180).apply(in);
        assertArrayEquals(rgb(in, 0, 0), rgb(r180, 5, 5));
        assertEquals(in, new Rotate(180).apply(r180));
        assertEquals(in, new Rotate(270).apply(r90));
    }

    @Test
    void translationSamplesAtPixelCentresAndFillsBlack() {
        Image in = random(8, 8, 4);
        Image shifted = new TranslateX(1).apply(in);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 7; x++) {
                assertArrayEquals(rgb(in, y, x + 1), rgb(shifted, y, x));
            }
            assertArrayEquals(new int[] {0, 0, 0}, rgb(shifted, y, 7));
        }
        // -0.6 moves the first column's sample to x = -0.1, outside the image (Pillow's COORD gives -1).
        Image left = new TranslateX(-0.6).apply(in);
        assertArrayEquals(new int[] {0, 0, 0}, rgb(left, 3, 0));
        assertArrayEquals(rgb(in, 3, 0), rgb(left, 3, 1));
        Image blank = Image.blank(8, 8, 3);
        assertEquals(blank, new TranslateX(40).apply(in));
        assertEquals(blank, new TranslateX(-8.5).apply(in));
        assertEquals(blank, new TranslateY(100).apply(in));
        assertEquals(blank, new TranslateY(-53.3).apply(in));
        assertEquals(blank, new ShearX(0.3).apply(new TranslateY(9).apply(in)));
    }

    @Test
    void pointOperationsFollowPillowFormulas() {
        Image in = new Image(1, 3, 3, new byte[] {20, 30, (byte) 200, (byte) 255, 0, (byte) 128, 64, 127, 1});
        assertArrayEquals(new byte[] {0, 0, (byte) 128, (byte) 128, 0, (byte) 128, 0, 0, 0},
                new Posterize(1).apply(in).data());
        assertArrayEquals(new byte[] {20, 30, 55, 0, 0, 127, 64, 127, 1}, new Solarize(128).apply(in).data());
        // +100 with clipping, then solarize at 128: 30 -> 130 -> 125, 200 -> 255 -> 0, 128 -> 228 -> 27.
        assertArrayEquals(new byte[] {120, 125, 0, 0, 100, 27, 91, 28, 101},
                new SolarizeAdd(100, 128).apply(in).data());
        // Brightness truncates (PIL blend), it does not round: 255 * 0.5 = 127.5 -> 127.
        assertArrayEquals(new int[] {127, 0, 64}, rgb(new Brightness(0.5).apply(in), 0, 1));
        assertArrayEquals(new int[] {30, 45, 255}, rgb(new Brightness(1.5).apply(in), 0, 0));
    }

    @Test
    void contrastBlendsWithTheRoundedMeanLuma() {
        // Two grey pixels 10 and 21: mean 15.5 -> grey 16; factor 0 gives the grey image.
        Image in = new Image(1, 2, 3, new byte[] {10, 10, 10, 21, 21, 21});
        assertArrayEquals(new byte[] {16, 16, 16, 16, 16, 16}, new Contrast(0).apply(in).data());
        // factor 2: 16 + 2 * (10 - 16) = 4 and 16 + 2 * (21 - 16) = 26.
        assertArrayEquals(new byte[] {4, 4, 4, 26, 26, 26}, new Contrast(2).apply(in).data());
    }

    @Test
    void hueShiftsInPillowHsv() {
        // Pure red: H 0, S 255, V 255; +uint8(0.5 * 255) = 127 -> sector 2 with f = 0.988: (0, 255, 252).
        assertArrayEquals(new int[] {0, 255, 252}, rgb(new Hue(0.5).apply(pixel(255, 0, 0)), 0, 0));
        assertEquals(pixel(90, 90, 90), new Hue(0.3).apply(pixel(90, 90, 90)));
        assertThrows(IllegalArgumentException.class, () -> new Hue(0.6));
    }

    @Test
    void bilinearDownscaleUsesWidenedSupport() {
        // 4 -> 2 samples: support 2, weights 3/7, 3/7, 1/7 for the first output: 70*3/7 + 140/7 = 50.
        Image row = new Image(1, 4, 1, new byte[] {0, 70, (byte) 140, (byte) 210});
        Image out = new ResizedCrop(0, 0, 1, 4, 1, 2).apply(row);
        assertEquals(50, out.get(0, 0, 0));
        // Mirror image: 210*3/7 + 140*3/7 + 70/7 = 160.
        assertEquals(160, out.get(0, 1, 0));
    }

    @Test
    void cropOutsideTheImageIsBlack() {
        Image in = random(4, 4, 5);
        Image out = new ResizedCrop(-2, 2, 4, 4, 4).apply(in);
        assertArrayEquals(new int[] {0, 0, 0}, rgb(out, 0, 0));
        assertArrayEquals(new int[] {0, 0, 0}, rgb(out, 3, 3));
        assertArrayEquals(rgb(in, 0, 2), rgb(out, 2, 0));
    }

    @Test
    void cutoutCornersAreInclusiveAndClipped() {
        Image in = Image.blank(10, 10, 3);
        Image out = new Cutout(5, 5, 4).apply(in);
        // x0 = int(5 - 2) = 3, x1 = min(10, 3 + 4) = 7: columns and rows 3..7 inclusive.
        assertEquals(25, filled(out));
        assertArrayEquals(new int[] {125, 123, 114}, rgb(out, 3, 7));
        // Near the border: x0 = int(9.9 - 2) = 7, x1 = 10 -> columns 7..9; rows 0..4 (y0 = 0, y1 = 4).
        assertEquals(15, filled(new Cutout(9.9, 0.5, 4).apply(in)));
        // Size 0 still paints the single pixel (x0, y0).
        assertEquals(1, filled(new Cutout(2, 2, 0).apply(in)));
    }

    private static int filled(Image img) {
        int n = 0;
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                if (img.get(y, x, 0) == 125 && img.get(y, x, 1) == 123 && img.get(y, x, 2) == 114) {
                    n++;
                }
            }
        }
        return n;
    }

    @Test
    void gridShuffleMovesTiles() {
        Image in = random(4, 4, 6);
        Image out = new GridShuffle(2, new int[] {3, 2, 1, 0}).apply(in);
        assertArrayEquals(rgb(in, 2, 2), rgb(out, 0, 0));
        assertArrayEquals(rgb(in, 3, 1), rgb(out, 1, 3));
        assertThrows(IllegalArgumentException.class, () -> new GridShuffle(2, new int[] {0, 0, 1, 2}));
    }

    @Test
    void gaussianBlurBoxRadiusFollowsPillow() {
        // Radius 0 gives box radius 0 (identity). Radius 1: sigma2 = 1/3, L = sqrt(5), l = 0,
        // a = (0 - 1) / (6 (1/3 - 1)) = 0.25.
        assertEquals(0f, GaussianBlur.boxRadius(0f));
        assertEquals(0.25f, GaussianBlur.boxRadius(1f), 1e-6f);
        // A constant image stays constant whatever the radius, even wider than the image.
        Image flat = new Image(3, 5, 3, new byte[45]);
        java.util.Arrays.fill(flat.data(), (byte) 77);
        assertEquals(flat, new GaussianBlur(9.0).apply(flat));
    }
}
