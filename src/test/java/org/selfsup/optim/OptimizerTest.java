package org.selfsup.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.selfsup.model.Scalars;

/**
 * Each optimiser against the same update computed in plain Java doubles. The loss
 * {@code sum(c ⊙ p) + 0.5 · a · sum(p²)} has gradient {@code c + a · p}, so the gradient depends on the
 * current weights; the learning rate changes between steps, which catches a learning rate folded into the
 * momentum buffer (DJL's own Sgd).
 */
class OptimizerTest {
    private static final double A = 0.5;
    private static final double[] LRS = {1.0, 0.5, 0.25, 0.1};
    private static final double[] C2 = {0.3, -1.2, 0.7, 2.0, -0.1, 0.05};
    private static final double[] C1 = {0.4, -0.6, 1.5};

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private List<Parameter> params(double[] w2, double[] w1) {
        NDArray a = manager.create(toFloat(w2), new Shape(2, 3));
        NDArray b = manager.create(toFloat(w1), new Shape(3));
        a.setRequiresGradient(true);
        b.setRequiresGradient(true);
        return List.of(
                Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).optArray(a).build(),
                Parameter.builder().setName("b").setType(Parameter.Type.BIAS).optArray(b).build());
    }

    private void backward(List<Parameter> ps) {
        try (NDManager t = manager.newSubManager();
             GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray loss = null;
            double[][] cs = {C2, C1};
            for (int i = 0; i < ps.size(); i++) {
                NDArray w = ps.get(i).getArray();
                NDArray c = t.create(toFloat(cs[i]), w.getShape());
                NDArray term = w.mul(c).sum().add(w.mul(w).sum().mul(Scalars.of(t, (float) (A / 2))));
                loss = loss == null ? term : loss.add(term);
            }
            gc.backward(loss);
        }
    }

    /** Direction rule in doubles: given w, g, 2-D flag, returns d. */
    interface Rule {
        double[] direction(double[] w, double[] g, boolean matrix);
    }

    private static double[][] reference(Rule rule, double momentum, boolean nesterov, double[] w2, double[] w1) {
        double[][] w = {w2.clone(), w1.clone()};
        double[][] buf = {new double[w2.length], new double[w1.length]};
        double[][] cs = {C2, C1};
        for (double lr : LRS) {
            for (int p = 0; p < 2; p++) {
                double[] g = new double[w[p].length];
                for (int j = 0; j < g.length; j++) {
                    g[j] = cs[p][j] + A * w[p][j];
                }
                double[] d = rule.direction(w[p], g, p == 0);
                for (int j = 0; j < g.length; j++) {
                    buf[p][j] = momentum * buf[p][j] + d[j];
                    double u = nesterov ? d[j] + momentum * buf[p][j] : buf[p][j];
                    w[p][j] -= lr * u;
                }
            }
        }
        return w;
    }

    private void check(MomentumOptimizer opt, List<Parameter> ps, double[][] expected) {
        opt.zeroGrad();
        for (double lr : LRS) {
            backward(ps);
            opt.step(lr);
            opt.zeroGrad();
        }
        for (int p = 0; p < 2; p++) {
            float[] got = ps.get(p).getArray().toFloatArray();
            for (int j = 0; j < got.length; j++) {
                assertEquals(expected[p][j], got[j], 1e-5 * (1 + Math.abs(expected[p][j])), "param " + p + "[" + j + "]");
            }
        }
    }

    private static final double[] W2 = {0.5, -0.25, 1.0, 0.75, -1.5, 0.2};
    private static final double[] W1 = {0.1, 0.0, -0.3};

    @Test
    void sgdMatchesPyTorchSemantics() {
        double wd = 5e-4;
        Rule rule = (w, g, m) -> {
            double[] d = new double[g.length];
            for (int j = 0; j < g.length; j++) {
                d[j] = g[j] + wd * w[j];
            }
            return d;
        };
        List<Parameter> ps = params(W2, W1);
        try (Sgd sgd = new Sgd(ps, manager, 0.9, false, wd)) {
            check(sgd, ps, reference(rule, 0.9, false, W2, W1));
        }
        List<Parameter> ps2 = params(W2, W1);
        try (Sgd sgd = new Sgd(ps2, manager, 0.9, true, wd)) {
            check(sgd, ps2, reference(rule, 0.9, true, W2, W1));
        }
    }

    @Test
    void sgdFirstStepByHand() {
        // p = 1, g = c + a·p = 0.4 + 0.5 = 0.9 (first element of the bias), wd = 0.1: d = 1.0, buf = 1.0,
        // p = 0.1 - 1.0 · 1.0 = -0.9 with lr 1.0
        List<Parameter> ps = params(W2, W1);
        try (Sgd sgd = new Sgd(ps, manager, 0.9, false, 0.1)) {
            sgd.zeroGrad();
            backward(ps);
            sgd.step(1.0);
            // bias[0]: w = 0.1, g = 0.4 + 0.05 = 0.45, d = 0.45 + 0.01 = 0.46, p = 0.1 - 0.46 = -0.36
            assertEquals(-0.36, ps.get(1).getArray().toFloatArray()[0], 1e-6);
            assertEquals(0.46, sgd.buffer(1).toFloatArray()[0], 1e-6);
        }
    }

    @Test
    void larsMatchesRsaCode() {
        double wd = 1e-2;
        double trust = 0.001;
        Rule rule = (w, g, matrix) -> {
            if (!matrix) {
                return g.clone();
            }
            double[] d = new double[g.length];
            double pn = 0;
            double dn = 0;
            for (int j = 0; j < g.length; j++) {
                d[j] = g[j] + wd * w[j];
                pn += w[j] * w[j];
                dn += d[j] * d[j];
            }
            pn = Math.sqrt(pn);
            dn = Math.sqrt(dn);
            double q = pn > 0 && dn > 0 ? trust * pn / dn : 1;
            for (int j = 0; j < g.length; j++) {
                d[j] *= q;
            }
            return d;
        };
        List<Parameter> ps = params(W2, W1);
        try (Lars lars = new Lars(ps, manager, 0.9, false, wd, trust)) {
            check(lars, ps, reference(rule, 0.9, false, W2, W1));
        }
    }

    @Test
    void larsTrustRatioIsOneForZeroWeights() {
        double[] zeros = new double[6];
        Rule rule = (w, g, matrix) -> {
            double pn = 0;
            for (double v : w) {
                pn += v * v;
            }
            if (!matrix || pn == 0) {
                return g.clone();
            }
            double[] d = new double[g.length];
            double dn = 0;
            for (int j = 0; j < g.length; j++) {
                d[j] = g[j];
                dn += d[j] * d[j];
            }
            double q = 0.001 * Math.sqrt(pn) / Math.sqrt(dn);
            for (int j = 0; j < g.length; j++) {
                d[j] *= q;
            }
            return d;
        };
        // one step only: the first step sees ||p|| = 0 and must use q = 1
        List<Parameter> ps = params(zeros, W1);
        try (Lars lars = new Lars(ps, manager, 0.9, false, 0.0, 0.001)) {
            lars.zeroGrad();
            backward(ps);
            lars.step(0.5);
            float[] got = ps.get(0).getArray().toFloatArray();
            for (int j = 0; j < 6; j++) {
                assertEquals(-0.5 * C2[j], got[j], 1e-6);
            }
        }
        assertEquals(1, rule.direction(new double[] {0}, new double[] {1}, true)[0]);
    }

    @Test
    void larcMatchesApex() {
        double wd = 1e-3;
        double trust = 0.001;
        double eps = 1e-8;
        Rule rule = (w, g, matrix) -> {
            double pn = 0;
            double gn = 0;
            for (int j = 0; j < g.length; j++) {
                pn += w[j] * w[j];
                gn += g[j] * g[j];
            }
            pn = Math.sqrt(pn);
            gn = Math.sqrt(gn);
            if (pn == 0 || gn == 0) {
                return g.clone();
            }
            double adaptive = trust * pn / (gn + wd * pn + eps);
            double[] d = new double[g.length];
            for (int j = 0; j < g.length; j++) {
                d[j] = (g[j] + wd * w[j]) * adaptive;
            }
            return d;
        };
        List<Parameter> ps = params(W2, W1);
        try (Larc larc = new Larc(ps, manager, 0.9, false, wd, trust, eps)) {
            check(larc, ps, reference(rule, 0.9, false, W2, W1));
        }
    }

    @Test
    void stateRoundTripContinuesIdentically() throws IOException {
        List<Parameter> a = params(W2, W1);
        List<Parameter> b = params(W2, W1);
        try (Sgd first = new Sgd(a, manager, 0.9, true, 5e-4); Sgd second = new Sgd(b, manager, 0.9, true, 5e-4)) {
            first.zeroGrad();
            second.zeroGrad();
            for (int s = 0; s < 2; s++) {
                backward(a);
                first.step(0.3);
                first.zeroGrad();
                backward(b);
                second.step(0.3);
                second.zeroGrad();
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            first.save(new DataOutputStream(bytes));
            // a fresh optimiser over copies of the weights, state loaded, must continue bit-identically
            List<Parameter> c = params(toDouble(a.get(0).getArray().toFloatArray()),
                    toDouble(a.get(1).getArray().toFloatArray()));
            try (Sgd resumed = new Sgd(c, manager, 0.9, true, 5e-4)) {
                resumed.load(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
                resumed.zeroGrad();
                backward(b);
                second.step(0.2);
                backward(c);
                resumed.step(0.2);
                for (int p = 0; p < 2; p++) {
                    assertArrayEquals(b.get(p).getArray().toFloatArray(), c.get(p).getArray().toFloatArray());
                }
            }
            try (Lars other = new Lars(a, manager, 0.9, 0)) {
                assertThrows(IOException.class,
                        () -> other.load(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))));
            }
        }
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
