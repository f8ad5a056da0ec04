package org.selfsup.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** RankMe: the eigenvalue solver against known spectra; a rank-k matrix scores close to k. */
class RankMeTest {
    /** A random n x n orthogonal matrix (Gram-Schmidt of a Gaussian matrix). */
    static double[][] orthogonal(int n, Random rnd) {
        double[][] q = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                q[i][j] = rnd.nextGaussian();
            }
            for (int k = 0; k < i; k++) {
                double dot = 0;
                for (int j = 0; j < n; j++) {
                    dot += q[i][j] * q[k][j];
                }
                for (int j = 0; j < n; j++) {
                    q[i][j] -= dot * q[k][j];
                }
            }
            double norm = 0;
            for (int j = 0; j < n; j++) {
                norm += q[i][j] * q[i][j];
            }
            for (int j = 0; j < n; j++) {
                q[i][j] /= Math.sqrt(norm);
            }
        }
        return q;
    }

    @Test
    void eigenvaluesOfAKnownSpectrum() {
        Random rnd = new Random(3);
        for (int n : new int[] {1, 2, 5, 40}) {
            double[][] q = orthogonal(n, rnd);
            double[] lambda = new double[n];
            for (int i = 0; i < n; i++) {
                lambda[i] = i % 3 == 0 ? 0 : rnd.nextDouble() * 10 - 2; // zeros and negatives too
            }
            double[][] a = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    for (int k = 0; k < n; k++) {
                        a[i][j] += q[k][i] * lambda[k] * q[k][j];
                    }
                }
            }
            double[] got = RankMe.symmetricEigenvalues(a);
            Arrays.sort(got);
            double[] want = lambda.clone();
            Arrays.sort(want);
            assertArrayEquals(want, got, 1e-9, "n = " + n);
        }
    }

    @Test
    void rankKMatrixWithEqualSingularValuesScoresK() {
        // X = U diag(s, ..., s, 0, ...) V^T with k non-zero singular values: RankMe = k (up to the paper's eps)
        Random rnd = new Random(5);
        int n = 200;
        int d = 64;
        double[][] u = orthogonal(n, rnd);
        double[][] v = orthogonal(d, rnd);
        for (int k : new int[] {1, 7, 30}) {
            float[] x = new float[n * d];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    double s = 0;
                    for (int c = 0; c < k; c++) {
                        s += u[c][i] * 3.0 * v[c][j];
                    }
                    x[i * d + j] = (float) s;
                }
            }
            try (NDManager m = NDManager.newBaseManager()) {
                double r = RankMe.of(m.create(x, new Shape(n, d)));
                assertEquals(k, r, 0.01 * k, "rank " + k);
            }
        }
    }

    @Test
    void gaussianRankKMatrixIsCloseToKAndCollapseIsNearOne() {
        Random rnd = new Random(11);
        int n = 512;
        int d = 128;
        int k = 16;
        float[] a = new float[n * k];
        float[] b = new float[k * d];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) rnd.nextGaussian();
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) rnd.nextGaussian();
        }
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(a, new Shape(n, k)).matMul(m.create(b, new Shape(k, d)));
            double r = RankMe.of(x);
            // random singular values spread a little: the effective rank lies a little below k, never above
            assertTrue(r > 0.85 * k && r <= k + 1e-3, "RankMe of a Gaussian rank-" + k + " matrix: " + r);
            // every row the same vector: one singular value
            NDArray collapsed = m.ones(new Shape(n, 1)).matMul(m.create(b, new Shape(1, d)).get("0:1"));
            assertEquals(1.0, RankMe.of(collapsed), 1e-3);
            // full-rank isotropic noise: close to min(n, d)
            float[] g = new float[n * d];
            for (int i = 0; i < g.length; i++) {
                g[i] = (float) rnd.nextGaussian();
            }
            double full = RankMe.of(m.create(g, new Shape(n, d)));
            assertTrue(full > 0.9 * d && full <= d, "isotropic: " + full);
        }
    }
}
