package org.selfsup.augment.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.selfsup.data.Image;

/**
 * The optimised resized crop (in-place crop offsets, skipped passes, row-wise accumulation) agrees
 * with a plain per-value transcription of Pillow's two-pass resize on many random boxes, including
 * boxes that keep one dimension, upscale, or extend past the image, bilinear and bicubic.
 */
class ResizedCropPathsTest {
    @Test
    void matchesPlainTwoPassResize() {
        Random rng = new Random(11);
        for (int trial = 0; trial < 800; trial++) {
            int h = 1 + rng.nextInt(40);
            int w = 1 + rng.nextInt(40);
            int c = rng.nextBoolean() ? 3 : 1;
            byte[] data = new byte[h * w * c];
            rng.nextBytes(data);
            if (trial % 2 == 0) {
                // Black and white only: bicubic's negative lobes then over- and undershoot (sums below 0).
                for (int i = 0; i < data.length; i++) {
                    data[i] = (byte) (data[i] < 0 ? 255 : 0);
                }
            }
            Image in = new Image(h, w, c, data);
            int ch = 1 + rng.nextInt(h + 4);
            int cw = 1 + rng.nextInt(w + 4);
            int top = rng.nextInt(h + 3) - 2;
            int left = rng.nextInt(w + 3) - 2;
            int oh = rng.nextInt(4) == 0 ? ch : 1 + rng.nextInt(48);
            int ow = rng.nextInt(4) == 0 ? cw : 1 + rng.nextInt(48);
            // Bicubic has negative weights: the packed two-channel sums must carry signs exactly.
            Resampling filter = rng.nextInt(3) == 0 ? Resampling.BICUBIC : Resampling.BILINEAR;
            Image expected = plain(ResizedCrop.crop(in, top, left, ch, cw), oh, ow, filter);
            Image actual = new ResizedCrop(top, left, ch, cw, oh, ow, filter).apply(in);
            assertEquals(expected, actual, "trial " + trial + ": " + in + " box " + top + "," + left + " "
                    + ch + "x" + cw + " -> " + oh + "x" + ow + " " + filter);
        }
    }

    /** Pillow's resize of a whole image: horizontal pass (if the width changes), then vertical. */
    private static Image plain(Image src, int outH, int outW, Resampling filter) {
        int h = src.height();
        int w = src.width();
        int c = src.channels();
        int[][][] cur = new int[h][w][c];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int k = 0; k < c; k++) {
                    cur[y][x][k] = src.get(y, x, k);
                }
            }
        }
        if (w != outW) {
            ResampleCoefficients co = ResampleCoefficients.of(filter, w, outW);
            int[][][] next = new int[h][outW][c];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < outW; x++) {
                    for (int k = 0; k < c; k++) {
                        int ss = 1 << 21;
                        for (int t = 0; t < co.count[x]; t++) {
                            ss += cur[y][co.first[x] + t][k] * co.weights[x * co.ksize + t];
                        }
                        next[y][x][k] = ResampleCoefficients.clip8(ss);
                    }
                }
            }
            cur = next;
        }
        if (h != outH) {
            ResampleCoefficients co = ResampleCoefficients.of(filter, h, outH);
            int[][][] next = new int[outH][outW][c];
            for (int y = 0; y < outH; y++) {
                for (int x = 0; x < outW; x++) {
                    for (int k = 0; k < c; k++) {
                        int ss = 1 << 21;
                        for (int t = 0; t < co.count[y]; t++) {
                            ss += cur[co.first[y] + t][x][k] * co.weights[y * co.ksize + t];
                        }
                        next[y][x][k] = ResampleCoefficients.clip8(ss);
                    }
                }
            }
            cur = next;
        }
        byte[] out = new byte[outH * outW * c];
        for (int y = 0; y < outH; y++) {
            for (int x = 0; x < outW; x++) {
                for (int k = 0; k < c; k++) {
                    out[(y * outW + x) * c + k] = (byte) cur[y][x][k];
                }
            }
        }
        return new Image(outH, outW, c, out);
    }
}
