package org.selfsup.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.selfsup.model.ModelSpec;

/**
 * SimCLR's NT-Xent against a plain-Java computation, and its declaration. Its training steps run in the
 * registry-driven tests with every other method: {@code MethodsOnModelTest} (steps on a tiny real model)
 * and {@code TrainerTest.lossDecreasesForEveryMethod} (20 steps through the training loop).
 */
class SimClrTest {
    @org.junit.jupiter.api.BeforeAll
    static void singleThreaded() {
        org.selfsup.model.TorchThreads.single();
    }

    private static final double[][] A = {{1, 2, 0}, {0, 1, -1}, {0.5, 0, 2}};
    private static final double[][] B = {{2, 0, 1}, {1, 1, 1}, {-1, 0.5, 0}};

    /** NT-Xent written out: 2N normalised rows, positives i <-> i + N, every other row a negative. */
    static double ntXent(double[][] y1, double[][] y2, double tau) {
        int n = y1.length;
        double[][] z = new double[2 * n][];
        for (int i = 0; i < n; i++) {
            z[i] = unit(y1[i]);
            z[n + i] = unit(y2[i]);
        }
        double sum = 0;
        for (int i = 0; i < 2 * n; i++) {
            double denominator = 0;
            for (int k = 0; k < 2 * n; k++) {
                if (k != i) {
                    denominator += Math.exp(dot(z[i], z[k]) / tau);
                }
            }
            sum += Math.log(denominator) - dot(z[i], z[(i + n) % (2 * n)]) / tau;
        }
        return sum / (2 * n);
    }

    private static double[] unit(double[] v) {
        double norm = Math.sqrt(dot(v, v));
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] / norm;
        }
        return out;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    @Test
    void lossMatchesThePlainJavaNtXent() {
        for (double tau : new double[] {0.5, 0.1, 2.0}) {
            try (NDManager m = NDManager.newBaseManager()) {
                FakeNetworks nets = new FakeNetworks(m);
                Map<String, NDArray> views = Map.of("v1", m.create(FakeNetworks.toFloat(A)),
                        "v2", m.create(FakeNetworks.toFloat(B)));
                LossOutput out = new SimClr(tau).loss(nets, views, new StepContext(1, 10, 0));
                double expected = ntXent(Ref.project(A), Ref.project(B), tau);
                assertEquals(expected, out.total().getFloat(), 1e-5 * Math.max(1, Math.abs(expected)), "tau " + tau);
                assertEquals(2, nets.projectCalls);
                assertEquals(0, nets.predictCalls, "no predictor");
                assertEquals(0, nets.targetCalls, "no target");
                assertTrue(out.stats().containsKey("proj_std"));
            }
        }
    }

    @Test
    void declarationGivesTheDefaultsAndHeads() {
        MethodDefinition d = MethodRegistry.get("simclr");
        assertEquals(List.of("v1", "v2"), d.views());
        assertEquals("simsiam", d.defaultPlan());
        assertEquals(0.5, MethodRegistry.optionDefaults().get("temperature"));
        assertEquals("must be positive (got 0.0)", MethodRegistry.options().get("temperature").problem(0));
        ModelSpec r18 = MethodRegistry.modelSpec("simclr", "resnet18-cifar");
        assertEquals(2, r18.projector().layers().size(), "2-layer projector");
        assertEquals(128, r18.projector().outDim());
        assertNull(r18.predictor());
    }
}
