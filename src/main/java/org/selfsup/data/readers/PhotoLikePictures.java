package org.selfsup.data.readers;

import java.util.SplittableRandom;
import org.selfsup.data.Image;

/**
 * Photo-like RGB pictures for benchmarks: smooth random colour fields, a disc with inverted colours
 * (an edge) and sensor-like Gaussian noise, so that they compress and resample like photographs (about
 * 60-100 KB for 500x375 at JPEG quality 90). Deterministic from the random stream.
 */
public final class PhotoLikePictures {
    private PhotoLikePictures() {}

    /** A {@code width x height} picture drawn from {@code rng}, as packed {@code 0xRRGGBB} per pixel, row-major. */
    public static int[] drawRgb(int width, int height, SplittableRandom rng) {
        double[][] f = new double[6][];
        for (int k = 0; k < 6; k++) {
            f[k] = new double[] {rng.nextDouble() * 0.05, rng.nextDouble() * 0.05, rng.nextDouble() * 6.3,
                    40 + rng.nextDouble() * 60, rng.nextInt(3)};
        }
        int cx = rng.nextInt(width);
        int cy = rng.nextInt(height);
        int r2 = (Math.min(width, height) / 4) * (Math.min(width, height) / 4);
        int[] base = {rng.nextInt(256), rng.nextInt(256), rng.nextInt(256)};
        int[] out = new int[width * height];
        double[] c = new double[3];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                c[0] = base[0];
                c[1] = base[1];
                c[2] = base[2];
                for (double[] k : f) {
                    c[(int) k[4]] += k[3] * Math.sin(k[0] * x + k[1] * y + k[2]);
                }
                boolean inside = (x - cx) * (x - cx) + (y - cy) * (y - cy) < r2;
                int p = 0;
                for (int ch = 0; ch < 3; ch++) {
                    double v = (inside ? 255 - c[ch] : c[ch]) + rng.nextGaussian() * 9;
                    p = (p << 8) | (int) Math.max(0, Math.min(255, v));
                }
                out[y * width + x] = p;
            }
        }
        return out;
    }

    /** The same picture as an 8-bit RGB {@link Image}. */
    public static Image draw(int width, int height, SplittableRandom rng) {
        int[] rgb = drawRgb(width, height, rng);
        byte[] data = new byte[rgb.length * 3];
        for (int i = 0; i < rgb.length; i++) {
            data[3 * i] = (byte) (rgb[i] >>> 16);
            data[3 * i + 1] = (byte) (rgb[i] >>> 8);
            data[3 * i + 2] = (byte) rgb[i];
        }
        return new Image(height, width, 3, data);
    }
}
