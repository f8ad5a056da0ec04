package org.selfsup.augment.ops;

import org.selfsup.augment.ImageOp;
import org.selfsup.data.Image;

/**
 * DSSL's CutoutAbs: a square of side {@code size} around (centerX, centerY) filled with
 * (125, 123, 114). Corners follow the reference: x0 = int(max(0, cx - size/2)),
 * x1 = min(W, x0 + size), likewise for y, drawn by PIL {@code ImageDraw.rectangle} with inclusive
 * corners (coordinates truncated to int, clipped to the image).
 */
public final class Cutout implements ImageOp {
    private static final int[] FILL = {125, 123, 114};
    private final double centerX;
    private final double centerY;
    private final double size;

    public Cutout(double centerX, double centerY, double size) {
        this.centerX = centerX;
        this.centerY = centerY;
        this.size = size;
    }

    @Override
    public Image apply(Image in) {
        int w = in.width();
        int h = in.height();
        int c = in.channels();
        byte[] out = in.data().clone();
        if (size < 0) {
            return Pixels.like(in, out);
        }
        int x0 = (int) Math.max(0, centerX - size / 2.0);
        int y0 = (int) Math.max(0, centerY - size / 2.0);
        int x1 = (int) Math.min(w, x0 + size);
        int y1 = (int) Math.min(h, y0 + size);
        int xe = Math.min(x1, w - 1);
        int ye = Math.min(y1, h - 1);
        for (int y = y0; y <= ye; y++) {
            for (int x = x0; x <= xe; x++) {
                int p = (y * w + x) * c;
                for (int k = 0; k < c; k++) {
                    out[p + k] = (byte) FILL[Math.min(k, 2)];
                }
            }
        }
        return Pixels.like(in, out);
    }

    @Override
    public String toString() {
        return "Cutout(" + centerX + ", " + centerY + ", " + size + ")";
    }
}
