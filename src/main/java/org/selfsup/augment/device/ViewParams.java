package org.selfsup.augment.device;

/**
 * The random parameters of one view for a batch of {@code n} samples, sampled on the host.
 *
 * <p>Arrays are indexed by sample. Crop arrays are {@code null} for a derived view (it reuses its
 * source's crop and flip). {@code order[i]} is the ColorJitter sub-op order (0 brightness, 1 contrast,
 * 2 saturation, 3 hue); {@code factors[i]} are the brightness, contrast and saturation factors and the
 * hue shift. {@code blurSigma[i]} is 0 when the sample is not blurred.
 */
public final class ViewParams {
    public final int n;
    public final int[] top;
    public final int[] left;
    public final int[] cropHeight;
    public final int[] cropWidth;
    public final boolean[] flip;
    public final boolean[] jitter;
    public final double[][] factors;
    public final int[][] order;
    public final boolean[] gray;
    public final double[] blurSigma;
    public final boolean[] solarize;

    ViewParams(int n, boolean withCrop) {
        this.n = n;
        top = withCrop ? new int[n] : null;
        left = withCrop ? new int[n] : null;
        cropHeight = withCrop ? new int[n] : null;
        cropWidth = withCrop ? new int[n] : null;
        flip = withCrop ? new boolean[n] : null;
        jitter = new boolean[n];
        factors = new double[n][4];
        order = new int[n][4];
        gray = new boolean[n];
        blurSigma = new double[n];
        solarize = new boolean[n];
    }

    /** True if this view has its own crop (a view of the source image). */
    public boolean hasCrop() {
        return top != null;
    }

    /** True if any sample is blurred. */
    public boolean anyBlur() {
        for (double s : blurSigma) {
            if (s > 0) {
                return true;
            }
        }
        return false;
    }

    /** True if any sample is converted to grey. */
    public boolean anyGray() {
        return any(gray);
    }

    /** True if any sample is solarised. */
    public boolean anySolarize() {
        return any(solarize);
    }

    /** True if any jittered sample runs sub-op {@code op} in round {@code round}. */
    public boolean anyJitterOp(int round, int op) {
        for (int i = 0; i < n; i++) {
            if (jitter[i] && order[i][round] == op) {
                return true;
            }
        }
        return false;
    }

    private static boolean any(boolean[] a) {
        for (boolean b : a) {
            if (b) {
                return true;
            }
        }
        return false;
    }
}
