package org.selfsup.augment.ops;

import java.math.BigDecimal;
import java.math.RoundingMode;
import org.selfsup.augment.ImageOp;
import org.selfsup.data.Image;

/**
 * PIL {@code img.rotate(degrees)}: counter-clockwise about the image centre, NEAREST, black fill, no
 * expand. Multiples of 90 degrees on square images (and 0 and 180 always) are exact transposes, as
 * in PIL; other angles use PIL's affine matrix with cos/sin rounded to 15 decimals.
 */
public final class Rotate implements ImageOp {
    private final double degrees;

    public Rotate(double degrees) {
        this.degrees = degrees;
    }

    @Override
    public Image apply(Image in) {
        double angle = degrees % 360.0;
        if (angle < 0) {
            angle += 360.0; // Python's % takes the sign of the divisor
        }
        if (angle == 0) {
            return in.copy();
        }
        if (angle == 180) {
            return quarterTurns(in, 2);
        }
        if ((angle == 90 || angle == 270) && in.width() == in.height()) {
            return quarterTurns(in, angle == 90 ? 1 : 3);
        }
        double w = in.width();
        double h = in.height();
        double cx = w / 2.0;
        double cy = h / 2.0;
        double rad = -Math.toRadians(angle);
        double ma = round15(Math.cos(rad));
        double mb = round15(Math.sin(rad));
        double md = round15(-Math.sin(rad));
        double me = round15(Math.cos(rad));
        double mc = ma * -cx + mb * -cy + 0.0;
        double mf = md * -cx + me * -cy + 0.0;
        mc += cx;
        mf += cy;
        return new Affine(ma, mb, mc, md, me, mf).apply(in);
    }

    /** Python's {@code round(x, 15)} (exact decimal rounding, half to even). */
    private static double round15(double x) {
        return new BigDecimal(x).setScale(15, RoundingMode.HALF_EVEN).doubleValue();
    }

    /** Rotates counter-clockwise by {@code turns} quarter turns (PIL transpose ROTATE_90/180/270). */
    static Image quarterTurns(Image in, int turns) {
        int h = in.height();
        int w = in.width();
        int c = in.channels();
        byte[] src = in.data();
        int oh = turns == 2 ? h : w;
        int ow = turns == 2 ? w : h;
        byte[] out = new byte[src.length];
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                int sy;
                int sx;
                if (turns == 1) { // ROTATE_90: output (x, y) <- input (w-1-y, x)
                    sy = x;
                    sx = w - 1 - y;
                } else if (turns == 2) {
                    sy = h - 1 - y;
                    sx = w - 1 - x;
                } else { // ROTATE_270
                    sy = h - 1 - x;
                    sx = y;
                }
                System.arraycopy(src, (sy * w + sx) * c, out, (y * ow + x) * c, c);
            }
        }
        return new Image(oh, ow, c, out);
    }

    @Override
    public String toString() {
        return "Rotate(" + degrees + ")";
    }
}
