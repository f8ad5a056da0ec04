package org.selfsup.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Fixed per-dimension standardisation {@code (x - mean) / sqrt(var + 1e-5)} with the mean and
 * (population) variance of a feature matrix, as the MSF probe does with the L2-normalised train
 * features. Built afresh for every evaluation: statistics are never reused across checkpoints.
 */
public final class Standardizer implements AutoCloseable {
    /** Added to the variance before the square root. */
    public static final double EPS = 1e-5;

    private final NDManager manager;
    private final NDArray mean;
    private final NDArray std;

    private Standardizer(NDManager manager, float[] mean, float[] std) {
        this.manager = manager;
        this.mean = manager.create(mean, new Shape(1, mean.length));
        this.std = manager.create(std, new Shape(1, std.length));
    }

    /** Statistics of every row of {@code features} (accumulated in double precision on the host). */
    public static Standardizer fit(NDManager parent, FeatureMatrix features) {
        int d = features.dim();
        double[] sum = new double[d];
        double[] sq = new double[d];
        int chunk = Math.max(1, (1 << 20) / d);
        for (int from = 0; from < features.rows(); from += chunk) {
            int to = Math.min(features.rows(), from + chunk);
            float[] rows = features.rows(from, to);
            for (int i = 0; i < rows.length; i++) {
                double v = rows[i];
                sum[i % d] += v;
                sq[i % d] += v * v;
            }
        }
        int n = features.rows();
        float[] mean = new float[d];
        float[] std = new float[d];
        for (int j = 0; j < d; j++) {
            double m = sum[j] / n;
            double var = Math.max(0, sq[j] / n - m * m);
            mean[j] = (float) m;
            std[j] = (float) Math.sqrt(var + EPS);
        }
        return new Standardizer(parent.newSubManager(), mean, std);
    }

    /** The standardised copy of {@code x} (N x D), attached to {@code x}'s manager. */
    public NDArray apply(NDArray x) {
        NDArray centred = x.sub(mean);
        NDArray out = centred.div(std);
        centred.close();
        return out;
    }

    @Override
    public void close() {
        manager.close();
    }
}
