package org.selfsup.data;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Decodes an image file (JPEG, PNG, BMP, GIF, TIFF: whatever {@code javax.imageio} reads) to RGB and
 * resizes it to a square, as torchvision's {@code Resize(size)} followed by {@code CenterCrop(size)}:
 * the shorter side is scaled to {@code size} (the longer to {@code int(size * long / short)}), then the
 * centre {@code size x size} is kept.
 *
 * <p>Resampling is Pillow-style antialiased bilinear: a triangle filter whose support widens with the
 * down-scaling factor, applied separably (rows, then columns), rounded to uint8. Only the pixels inside
 * the crop are computed. Grey images are read from their raster directly (avoiding Java's gamma
 * conversion of linear grey) and repeated to 3 channels; alpha is dropped, as PIL's
 * {@code convert("RGB")} does.
 */
public final class ImageDecoding {
    private ImageDecoding() {}

    /**
     * Decodes {@code file} and returns {@code size x size x 3} HWC bytes.
     *
     * @throws IOException if the file cannot be read or is not a decodable image
     */
    public static byte[] decodeResized(Path file, int size) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("file not found");
        }
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (RuntimeException e) {
            // Some ImageIO plug-ins throw unchecked exceptions on corrupt input.
            throw new IOException(e.toString(), e);
        }
        if (img == null) {
            throw new IOException("not a supported image format");
        }
        int w = img.getWidth();
        int h = img.getHeight();
        return resizeCenterCrop(toRgb(img), h, w, size);
    }

    /** HWC RGB bytes of a decoded image. */
    static byte[] toRgb(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        byte[] out = new byte[w * h * 3];
        Raster r = img.getRaster();
        boolean grey = r.getNumBands() == 1
                && img.getColorModel().getColorSpace().getType() == java.awt.color.ColorSpace.TYPE_GRAY;
        if (grey) {
            int bits = img.getColorModel().getComponentSize(0);
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                r.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    int v = bits > 8 ? row[x] >> (bits - 8) : row[x];
                    int o = (y * w + x) * 3;
                    out[o] = out[o + 1] = out[o + 2] = (byte) v;
                }
            }
            return out;
        }
        int[] argb = new int[w];
        for (int y = 0; y < h; y++) {
            img.getRGB(0, y, w, 1, argb, 0, w);
            for (int x = 0; x < w; x++) {
                int p = argb[x];
                int o = (y * w + x) * 3;
                out[o] = (byte) (p >> 16);
                out[o + 1] = (byte) (p >> 8);
                out[o + 2] = (byte) p;
            }
        }
        return out;
    }

    /** Shorter-side resize to {@code size} then centre crop, on HWC RGB bytes. */
    public static byte[] resizeCenterCrop(byte[] rgb, int h, int w, int size) {
        int oh;
        int ow;
        if (w <= h) {
            ow = size;
            oh = (int) ((long) size * h / w);
        } else {
            oh = size;
            ow = (int) ((long) size * w / h);
        }
        int top = (int) Math.rint((oh - size) / 2.0);
        int left = (int) Math.rint((ow - size) / 2.0);
        Axis ax = Axis.of(w, ow, left, size);
        Axis ay = Axis.of(h, oh, top, size);
        // Rows first: only the source rows some output row needs.
        float[] tmp = new float[h * size * 3];
        for (int y = ay.minUsed; y < ay.maxUsed; y++) {
            for (int i = 0; i < size; i++) {
                float r = 0;
                float g = 0;
                float b = 0;
                int start = ax.start[i];
                float[] wt = ax.weights[i];
                for (int k = 0; k < wt.length; k++) {
                    int s = (y * w + start + k) * 3;
                    r += wt[k] * (rgb[s] & 0xFF);
                    g += wt[k] * (rgb[s + 1] & 0xFF);
                    b += wt[k] * (rgb[s + 2] & 0xFF);
                }
                int t = (y * size + i) * 3;
                tmp[t] = r;
                tmp[t + 1] = g;
                tmp[t + 2] = b;
            }
        }
        byte[] out = new byte[size * size * 3];
        for (int j = 0; j < size; j++) {
            int start = ay.start[j];
            float[] wt = ay.weights[j];
            for (int i = 0; i < size; i++) {
                for (int c = 0; c < 3; c++) {
                    float v = 0;
                    for (int k = 0; k < wt.length; k++) {
                        v += wt[k] * tmp[((start + k) * size + i) * 3 + c];
                    }
                    out[(j * size + i) * 3 + c] = (byte) Math.max(0, Math.min(255, Math.round(v)));
                }
            }
        }
        return out;
    }

    /** Filter taps along one axis for the output indices {@code offset .. offset+count-1}. */
    private static final class Axis {
        final int[] start;
        final float[][] weights;
        int minUsed = Integer.MAX_VALUE;
        int maxUsed = 0;

        private Axis(int count) {
            start = new int[count];
            weights = new float[count][];
        }

        static Axis of(int in, int out, int offset, int count) {
            Axis a = new Axis(count);
            double scale = (double) in / out;
            double filterScale = Math.max(scale, 1.0);
            double support = filterScale; // triangle filter has support 1
            for (int i = 0; i < count; i++) {
                double center = (offset + i + 0.5) * scale;
                int lo = Math.max(0, (int) (center - support + 0.5));
                int hi = Math.min(in, (int) (center + support + 0.5));
                if (hi <= lo) {
                    hi = Math.min(in, lo + 1);
                    lo = hi - 1;
                }
                float[] wt = new float[hi - lo];
                double total = 0;
                for (int k = 0; k < wt.length; k++) {
                    double d = Math.abs((lo + k - center + 0.5) / filterScale);
                    double v = d < 1 ? 1 - d : 0;
                    wt[k] = (float) v;
                    total += v;
                }
                for (int k = 0; k < wt.length; k++) {
                    wt[k] = total > 0 ? (float) (wt[k] / total) : 1f / wt.length;
                }
                a.start[i] = lo;
                a.weights[i] = wt;
                a.minUsed = Math.min(a.minUsed, lo);
                a.maxUsed = Math.max(a.maxUsed, hi);
            }
            return a;
        }
    }
}
