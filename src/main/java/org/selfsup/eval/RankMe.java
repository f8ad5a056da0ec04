package org.selfsup.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * RankMe (Garrido et al., "RankMe: Assessing the downstream performance of pretrained self-supervised
 * representations by their rank", ICML 2023): the effective rank of an N x D embedding matrix,
 * {@code exp(-sum_k p_k log p_k)} with {@code p_k = sigma_k / sum(sigma) + 1e-7} over its singular values
 * sigma. A label-free signal: it is at most min(N, D), equals k for k equal non-zero singular values, and
 * falls towards 1 as the embeddings collapse; the paper shows it tracks downstream accuracy.
 *
 * <p>The singular values are the square roots of the eigenvalues of the smaller Gram matrix (X X^T or
 * X^T X, formed in float64 on the embeddings' device), found on the host in double precision: Householder reduction to
 * tridiagonal form, then the implicit QL iteration (eigenvalues only, after JAMA's public-domain tred2/tql2).
 */
public final class RankMe {
    /** The paper's epsilon added to each normalised singular value. */
    public static final double EPS = 1e-7;

    private RankMe() {}

    /** RankMe of the rows of {@code x} (N x D, any float type; not centred, as in the paper). */
    public static double of(NDArray x) {
        // float64: in float32 the rounding of the Gram matrix (about 1e-7 of its largest eigenvalue) turns the
        // zero eigenvalues of a low-rank matrix into singular values of about 3e-4 of the largest, enough to
        // add a whole unit of effective rank over a few hundred dimensions
        NDArray f = x.toType(DataType.FLOAT64, false);
        long n = f.getShape().get(0);
        long d = f.getShape().get(1);
        NDArray gram = n <= d ? f.matMul(f.transpose()) : f.transpose().matMul(f);
        int m = (int) Math.min(n, d);
        double[] g = gram.toDoubleArray();
        double[][] a = new double[m][m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                // symmetrise: the float32 product is symmetric only up to rounding
                a[i][j] = 0.5 * (g[i * m + j] + g[j * m + i]);
            }
        }
        return fromEigenvalues(symmetricEigenvalues(a));
    }

    /** RankMe from the eigenvalues of a Gram matrix (squared singular values; tiny negatives count as 0). */
    public static double fromEigenvalues(double[] lambda) {
        double[] sigma = new double[lambda.length];
        double sum = 0;
        for (int i = 0; i < lambda.length; i++) {
            sigma[i] = Math.sqrt(Math.max(lambda[i], 0));
            sum += sigma[i];
        }
        if (!(sum > 0)) {
            return 1.0;
        }
        double entropy = 0;
        for (double s : sigma) {
            double p = s / sum + EPS;
            entropy -= p * Math.log(p);
        }
        return Math.exp(entropy);
    }

    /**
     * The eigenvalues (unsorted) of the symmetric matrix {@code a}, which is overwritten.
     */
    static double[] symmetricEigenvalues(double[][] a) {
        int n = a.length;
        if (n == 0) {
            return new double[0];
        }
        double[] d = new double[n];
        double[] e = new double[n];
        tridiagonalise(a, d, e);
        ql(d, e);
        return d;
    }

    /** Householder reduction of {@code v} to tridiagonal form: diagonal {@code d}, sub-diagonal {@code e[1..]}. */
    private static void tridiagonalise(double[][] v, double[] d, double[] e) {
        int n = v.length;
        for (int j = 0; j < n; j++) {
            d[j] = v[n - 1][j];
        }
        for (int i = n - 1; i > 0; i--) {
            double scale = 0.0;
            double h = 0.0;
            for (int k = 0; k < i; k++) {
                scale += Math.abs(d[k]);
            }
            if (scale == 0.0) {
                e[i] = d[i - 1];
                for (int j = 0; j < i; j++) {
                    d[j] = v[i - 1][j];
                    v[i][j] = 0.0;
                    v[j][i] = 0.0;
                }
            } else {
                for (int k = 0; k < i; k++) {
                    d[k] /= scale;
                    h += d[k] * d[k];
                }
                double f = d[i - 1];
                double g = Math.sqrt(h);
                if (f > 0) {
                    g = -g;
                }
                e[i] = scale * g;
                h -= f * g;
                d[i - 1] = f - g;
                for (int j = 0; j < i; j++) {
                    e[j] = 0.0;
                }
                for (int j = 0; j < i; j++) {
                    f = d[j];
                    v[j][i] = f;
                    g = e[j] + v[j][j] * f;
                    for (int k = j + 1; k <= i - 1; k++) {
                        g += v[k][j] * d[k];
                        e[k] += v[k][j] * f;
                    }
                    e[j] = g;
                }
                f = 0.0;
                for (int j = 0; j < i; j++) {
                    e[j] /= h;
                    f += e[j] * d[j];
                }
                double hh = f / (h + h);
                for (int j = 0; j < i; j++) {
                    e[j] -= hh * d[j];
                }
                for (int j = 0; j < i; j++) {
                    f = d[j];
                    g = e[j];
                    for (int k = j; k <= i - 1; k++) {
                        v[k][j] -= f * e[k] + g * d[k];
                    }
                    d[j] = v[i - 1][j];
                    v[i][j] = 0.0;
                }
            }
        }
        // without accumulating the transformations, the tridiagonal's diagonal is left on v's diagonal
        for (int j = 0; j < n; j++) {
            d[j] = v[j][j];
        }
        e[0] = 0.0;
    }

    /** Implicit QL iteration on the tridiagonal matrix (d, e): the eigenvalues are left in {@code d}. */
    private static void ql(double[] d, double[] e) {
        int n = d.length;
        for (int i = 1; i < n; i++) {
            e[i - 1] = e[i];
        }
        e[n - 1] = 0.0;
        double f = 0.0;
        double tst1 = 0.0;
        double eps = Math.ulp(1.0);
        for (int l = 0; l < n; l++) {
            tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
            int m = l;
            while (m < n - 1 && Math.abs(e[m]) > eps * tst1) {
                m++;
            }
            if (m > l) {
                int iter = 0;
                do {
                    if (++iter > 200) {
                        break; // not converging: the values are still close, and RankMe is a diagnostic
                    }
                    double g = d[l];
                    double p = (d[l + 1] - g) / (2.0 * e[l]);
                    double r = Math.hypot(p, 1.0);
                    if (p < 0) {
                        r = -r;
                    }
                    d[l] = e[l] / (p + r);
                    d[l + 1] = e[l] * (p + r);
                    double dl1 = d[l + 1];
                    double h = g - d[l];
                    for (int i = l + 2; i < n; i++) {
                        d[i] -= h;
                    }
                    f += h;
                    p = d[m];
                    double c = 1.0;
                    double c2 = c;
                    double c3 = c;
                    double el1 = e[l + 1];
                    double s = 0.0;
                    double s2 = 0.0;
                    for (int i = m - 1; i >= l; i--) {
                        c3 = c2;
                        c2 = c;
                        s2 = s;
                        g = c * e[i];
                        h = c * p;
                        r = Math.hypot(p, e[i]);
                        e[i + 1] = s * r;
                        s = e[i] / r;
                        c = p / r;
                        p = c * d[i] - s * g;
                        d[i + 1] = h + s * (c * g + s * d[i]);
                    }
                    p = -s * s2 * c3 * el1 * e[l] / dl1;
                    e[l] = s * p;
                    d[l] = c * p;
                } while (Math.abs(e[l]) > eps * tst1);
            }
            d[l] += f;
            e[l] = 0.0;
        }
    }
}
