package org.selfsup.augment.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.selfsup.data.Image;

/**
 * The vectorisable {@link GaussianBlur} against a literal transcription of Pillow's {@code BoxBlur.c}
 * (one line at a time, its three edge loops), on random pictures of every small shape, grey and RGB,
 * and box radii from 0 to past the picture's size.
 */
class GaussianBlurReferenceTest {
    @Test
    void matchesPillowsLineBlurOnRandomShapesAndRadii() {
        SplittableRandom rng = new SplittableRandom(3);
        for (int trial = 0; trial < 600; trial++) {
            int h = 1 + rng.nextInt(trial < 300 ? 12 : 70);
            int w = 1 + rng.nextInt(trial < 300 ? 12 : 70);
            int c = rng.nextBoolean() ? 3 : 1;
            byte[] data = new byte[h * w * c];
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) rng.nextInt(256);
            }
            double radius = trial % 5 == 0 ? rng.nextDouble() * 12 : rng.nextDouble() * 2.5;
            Image in = new Image(h, w, c, data);
            byte[] expected = reference(in, (float) radius);
            assertArrayEquals(expected, new GaussianBlur(radius).apply(in).data(),
                    "radius " + radius + " on " + h + "x" + w + "x" + c);
        }
    }

    /** Pillow's ImagingGaussianBlur with 3 passes: rows, then columns, each pass a line box blur. */
    private static byte[] reference(Image in, float radius) {
        float box = GaussianBlur.boxRadius(radius);
        int r = (int) box;
        int ww = (int) (long) (16777216f / (box * 2f + 1f));
        int fw = (int) (((1L << 24) - (r * 2L + 1) * ww) / 2);
        int h = in.height();
        int w = in.width();
        int c = in.channels();
        int[] img = new int[h * w * c];
        for (int i = 0; i < img.length; i++) {
            img[i] = in.data()[i] & 0xFF;
        }
        int[] a = new int[Math.max(h, w)];
        int[] b = new int[Math.max(h, w)];
        for (int y = 0; y < h; y++) {
            for (int ch = 0; ch < c; ch++) {
                for (int x = 0; x < w; x++) {
                    a[x] = img[(y * w + x) * c + ch];
                }
                for (int pass = 0; pass < 3; pass++) {
                    line(a, b, w, r, ww, fw);
                    System.arraycopy(b, 0, a, 0, w);
                }
                for (int x = 0; x < w; x++) {
                    img[(y * w + x) * c + ch] = a[x];
                }
            }
        }
        for (int x = 0; x < w; x++) {
            for (int ch = 0; ch < c; ch++) {
                for (int y = 0; y < h; y++) {
                    a[y] = img[(y * w + x) * c + ch];
                }
                for (int pass = 0; pass < 3; pass++) {
                    line(a, b, h, r, ww, fw);
                    System.arraycopy(b, 0, a, 0, h);
                }
                for (int y = 0; y < h; y++) {
                    img[(y * w + x) * c + ch] = a[y];
                }
            }
        }
        byte[] out = new byte[img.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) img[i];
        }
        return out;
    }

    /** {@code ImagingLineBoxBlur}, transcribed: its three loops for the left edge, the middle and the right edge. */
    private static void line(int[] in, int[] out, int n, int r, int ww, int fw) {
        int last = n - 1;
        int edgeA = Math.min(r + 1, n);
        int edgeB = Math.max(n - r - 1, 0);
        int acc = in[0] * (r + 1);
        for (int x = 0; x < edgeA - 1; x++) {
            acc += in[x];
        }
        acc += in[last] * (r - edgeA + 1);
        int first = in[0];
        int end = in[last];
        if (edgeA <= edgeB) {
            for (int x = 0; x < edgeA; x++) {
                acc += in[x + r] - first;
                out[x] = save(acc, first + in[x + r + 1], ww, fw);
            }
            for (int x = edgeA; x < edgeB; x++) {
                acc += in[x + r] - in[x - r - 1];
                out[x] = save(acc, in[x - r - 1] + in[x + r + 1], ww, fw);
            }
            for (int x = edgeB; x <= last; x++) {
                acc += end - in[x - r - 1];
                out[x] = save(acc, in[x - r - 1] + end, ww, fw);
            }
        } else {
            for (int x = 0; x < edgeB; x++) {
                acc += in[x + r] - first;
                out[x] = save(acc, first + in[x + r + 1], ww, fw);
            }
            for (int x = edgeB; x < edgeA; x++) {
                acc += end - first;
                out[x] = save(acc, first + end, ww, fw);
            }
            for (int x = edgeA; x <= last; x++) {
                acc += end - in[x - r - 1];
                out[x] = save(acc, in[x - r - 1] + end, ww, fw);
            }
        }
    }

    private static int save(int acc, int farSum, int ww, int fw) {
        return (acc * ww + farSum * fw + (1 << 23)) >>> 24;
    }
}
