package org.selfsup.method;

/** Plain-Java reference arithmetic for hand-checking losses (rows are samples). */
final class Ref {
    private Ref() {}

    static double[][] mul(double[][] a, double[][] b) {
        double[][] out = new double[a.length][b[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < b[0].length; j++) {
                for (int k = 0; k < b.length; k++) {
                    out[i][j] += a[i][k] * b[k][j];
                }
            }
        }
        return out;
    }

    static double cos(double[] a, double[] b) {
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        return ab / (Math.max(Math.sqrt(aa), 1e-12) * Math.max(Math.sqrt(bb), 1e-12));
    }

    /** Per-sample 2 - 2 cos. */
    static double[] d(double[][] p, double[][] z) {
        double[] out = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = 2 - 2 * cos(p[i], z[i]);
        }
        return out;
    }

    /** -mean cos. */
    static double negCos(double[][] p, double[][] z) {
        return -meanCos(p, z);
    }

    static double meanCos(double[][] p, double[][] z) {
        double s = 0;
        for (int i = 0; i < p.length; i++) {
            s += cos(p[i], z[i]);
        }
        return s / p.length;
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    static double[] add(double[] a, double[] b) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] + b[i];
        }
        return out;
    }

    static double[][] project(double[][] x) {
        return mul(x, FakeNetworks.P);
    }

    static double[][] predict(double[][] z) {
        return mul(z, FakeNetworks.Q);
    }

    static double[][] target(double[][] x) {
        return mul(x, FakeNetworks.T);
    }
}
