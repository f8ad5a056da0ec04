package org.selfsup.data;

/** Per-channel statistics of an image store in {@code ToTensor} units (0..1). */
public final class ImageStats {
    private ImageStats() {}

    /**
     * Per-channel mean and (population) standard deviation of the pixel values divided by 255.
     *
     * @return {@code {mean, std}}, each of length {@code store.channels()}; zeros for an empty store
     */
    public static double[][] meanStd(ImageStore store) {
        int c = store.channels();
        long[] sum = new long[c];
        long[] sumSq = new long[c];
        for (int i = 0; i < store.size(); i++) {
            byte[] p = store.pixels(i);
            for (int k = 0; k < p.length; k++) {
                int v = p[k] & 0xFF;
                sum[k % c] += v;
                sumSq[k % c] += v * v;
            }
        }
        double n = (double) store.size() * store.height() * store.width();
        double[] mean = new double[c];
        double[] std = new double[c];
        for (int ch = 0; ch < c && n > 0; ch++) {
            double m = sum[ch] / n;
            mean[ch] = m / 255.0;
            std[ch] = Math.sqrt(Math.max(0, sumSq[ch] / n - m * m)) / 255.0;
        }
        return new double[][] {mean, std};
    }

    /** Counts of each label in {@code 0..numClasses-1}; unlabelled images (-1) are not counted. */
    public static int[] classCounts(ImageSet store) {
        int[] counts = new int[store.numClasses()];
        for (int l : store.labels()) {
            if (l >= 0 && l < counts.length) {
                counts[l]++;
            }
        }
        return counts;
    }

    /** A normalisation with the store's own per-channel statistics (grey is repeated to 3 channels). */
    public static Normalization normalizationOf(ImageStore store) {
        double[][] ms = meanStd(store);
        float[] mean = new float[3];
        float[] std = new float[3];
        for (int ch = 0; ch < 3; ch++) {
            int src = ms[0].length == 1 ? 0 : ch;
            mean[ch] = (float) ms[0][src];
            std[ch] = (float) Math.max(ms[1][src], 1e-3);
        }
        return new Normalization(mean, std);
    }
}
