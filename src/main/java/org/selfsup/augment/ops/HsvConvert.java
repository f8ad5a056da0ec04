package org.selfsup.augment.ops;

/**
 * Pillow's 8-bit RGB &lt;-&gt; HSV conversions ({@code Convert.c}), with its mix of float and double
 * arithmetic reproduced so that results match exactly.
 */
final class HsvConvert {
    private HsvConvert() {
    }

    /** RGB to packed {@code h << 16 | s << 8 | v}. */
    static int rgbToHsv(int r, int g, int b) {
        int max = Math.max(r, Math.max(g, b));
        int min = Math.min(r, Math.min(g, b));
        if (max == min) {
            return max;
        }
        float cr = (float) (max - min);
        float s = cr / (float) max;
        float rc = (float) (max - r) / cr;
        float gc = (float) (max - g) / cr;
        float bc = (float) (max - b) / cr;
        float h;
        if (r == max) {
            h = bc - gc;
        } else if (g == max) {
            h = (float) (2.0 + rc - bc);
        } else {
            h = (float) (4.0 + gc - rc);
        }
        h = (float) ((h / 6.0 + 1.0) % 1.0);
        int uh = clip8((int) (h * 255.0));
        int us = clip8((int) (s * 255.0));
        return uh << 16 | us << 8 | max;
    }

    /** HSV to packed {@code r << 16 | g << 8 | b}. */
    static int hsvToRgb(int h, int s, int v) {
        if (s == 0) {
            return v << 16 | v << 8 | v;
        }
        int i = (int) Math.floor((float) h * 6.0 / 255.0);
        float f = (float) ((float) h * 6.0 / 255.0 - (float) i);
        float fs = (float) ((float) s / 255.0);
        int p = clip8((int) cRound((float) v * (1.0 - fs)));
        int q = clip8((int) cRound((float) v * (1.0 - fs * f)));
        int t = clip8((int) cRound((float) v * (1.0 - fs * (1.0 - f))));
        switch (i % 6) {
            case 0: return v << 16 | t << 8 | p;
            case 1: return q << 16 | v << 8 | p;
            case 2: return p << 16 | v << 8 | t;
            case 3: return p << 16 | q << 8 | v;
            case 4: return t << 16 | p << 8 | v;
            default: return v << 16 | p << 8 | q;
        }
    }

    /** C {@code round}: halves away from zero. */
    private static double cRound(double x) {
        return x < 0 ? -Math.floor(-x + 0.5) : Math.floor(x + 0.5);
    }

    private static int clip8(int v) {
        return v < 0 ? 0 : Math.min(v, 255);
    }
}
