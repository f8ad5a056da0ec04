package org.selfsup.augment.ops;

import org.selfsup.augment.ImageOp;
import org.selfsup.data.Image;

/**
 * PIL {@code Image.transform(size, AFFINE, (a, b, c, d, e, f))} with NEAREST resampling, black fill
 * and the same output size: output pixel (x, y) takes input pixel (a x + b y + c, d x + e y + f),
 * sampled at pixel centres. Reproduces Pillow's three code paths ({@code Geometry.c}): the
 * pure scale/translate path, the 16.16 fixed-point path and the double-precision fallback.
 */
public final class Affine implements ImageOp {
    private final double a;
    private final double b;
    private final double c;
    private final double d;
    private final double e;
    private final double f;

    public Affine(double a, double b, double c, double d, double e, double f) {
        this.a = a;
        this.b = b;
        this.c = c;
        this.d = d;
        this.e = e;
        this.f = f;
    }

    @Override
    public Image apply(Image in) {
        if (b == 0 && d == 0) {
            return scale(in);
        }
        int w = in.width();
        int h = in.height();
        if (fitsFixed(0, 0) && fitsFixed(w, h) && fitsFixed(0, h) && fitsFixed(w, 0)) {
            return fixed(in);
        }
        return floating(in);
    }

    private boolean fitsFixed(int x, int y) {
        return Math.abs(a * x + b * y + c) < 32768.0 && Math.abs(d * x + e * y + f) < 32768.0;
    }

    /** Pillow's {@code COORD}: negative coordinates map to -1, others truncate. */
    private static int coord(double v) {
        return v < 0.0 ? -1 : (int) v;
    }

    /** Pillow's {@code ImagingScaleAffine} (b = d = 0). */
    private Image scale(Image in) {
        int w = in.width();
        int h = in.height();
        int ch = in.channels();
        byte[] src = in.data();
        byte[] out = new byte[src.length];
        int[] xin = new int[w];
        int xmin = w;
        int xmax = 0;
        double xo = c + a * 0.5;
        double yo = f + e * 0.5;
        for (int x = 0; x < w; x++) {
            int xi = coord(xo);
            if (xi >= 0 && xi < w) {
                xmax = x + 1;
                if (x < xmin) {
                    xmin = x;
                }
                xin[x] = xi;
            }
            xo += a;
        }
        int row = w * ch;
        for (int y = 0; y < h; y++) {
            int yi = coord(yo);
            if (yi >= 0 && yi < h) {
                for (int x = xmin; x < xmax; x++) {
                    System.arraycopy(src, yi * row + xin[x] * ch, out, y * row + x * ch, ch);
                }
            }
            yo += e;
        }
        return Pixels.like(in, out);
    }

    private static int fix(double v) {
        double t = v * 65536.0 + 0.5;
        return t < 0.0 ? (int) Math.floor(t) : (int) t;
    }

    /** Pillow's {@code affine_fixed}: 16.16 fixed-point stepping. */
    private Image fixed(Image in) {
        int w = in.width();
        int h = in.height();
        int ch = in.channels();
        byte[] src = in.data();
        byte[] out = new byte[src.length];
        int a0 = fix(a);
        int a1 = fix(b);
        int a3 = fix(d);
        int a4 = fix(e);
        int a2 = fix(c + b * 0.5 + a * 0.5);
        int a5 = fix(f + e * 0.5 + d * 0.5);
        int row = w * ch;
        for (int y = 0; y < h; y++) {
            int xx = a2;
            int yy = a5;
            for (int x = 0; x < w; x++) {
                int xi = xx >> 16;
                if (xi >= 0 && xi < w) {
                    int yi = yy >> 16;
                    if (yi >= 0 && yi < h) {
                        System.arraycopy(src, yi * row + xi * ch, out, y * row + x * ch, ch);
                    }
                }
                xx += a0;
                yy += a3;
            }
            a2 += a1;
            a5 += a4;
        }
        return Pixels.like(in, out);
    }

    /** Pillow's double-precision fallback for coordinates too large for fixed point. */
    private Image floating(Image in) {
        int w = in.width();
        int h = in.height();
        int ch = in.channels();
        byte[] src = in.data();
        byte[] out = new byte[src.length];
        double xo = c + b * 0.5 + a * 0.5;
        double yo = f + e * 0.5 + d * 0.5;
        int row = w * ch;
        for (int y = 0; y < h; y++) {
            double xx = xo;
            double yy = yo;
            for (int x = 0; x < w; x++) {
                int xi = coord(xx);
                int yi = coord(yy);
                if (xi >= 0 && xi < w && yi >= 0 && yi < h) {
                    System.arraycopy(src, yi * row + xi * ch, out, y * row + x * ch, ch);
                }
                xx += a;
                yy += d;
            }
            xo += b;
            yo += e;
        }
        return Pixels.like(in, out);
    }

    @Override
    public String toString() {
        return "Affine(" + a + ", " + b + ", " + c + ", " + d + ", " + e + ", " + f + ")";
    }
}
