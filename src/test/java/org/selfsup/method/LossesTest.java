package org.selfsup.method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

class LossesTest {
    @org.junit.jupiter.api.BeforeAll
    static void singleThreaded() {
        org.selfsup.model.TorchThreads.single();
    }


    @Test
    void normalizedMseIsTwoMinusTwoCosinePerSample() {
        try (NDManager m = NDManager.newBaseManager()) {
            // Row 1: orthogonal -> 2. Row 2: cos = 24/25 -> 2 - 1.92 = 0.08.
            NDArray p = m.create(new float[][] {{1, 0, 0}, {3, 4, 0}});
            NDArray z = m.create(new float[][] {{0, 2, 0}, {4, 3, 0}});
            assertArrayEquals(new float[] {2f, 0.08f}, Losses.normalizedMse(p, z).toFloatArray(), 1e-6f);
            // Opposite directions give the maximum, 4; a zero row (F.normalize -> 0) gives 2 - 0 = 2.
            NDArray a = m.create(new float[][] {{1, 1, 0}, {0, 0, 0}});
            NDArray b = m.create(new float[][] {{-2, -2, 0}, {1, 2, 3}});
            assertArrayEquals(new float[] {4f, 2f}, Losses.normalizedMse(a, b).toFloatArray(), 1e-6f);
        }
    }

    @Test
    void negativeCosineIsMinusMeanCosine() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray p = m.create(new float[][] {{1, 0, 0}, {3, 4, 0}});
            NDArray z = m.create(new float[][] {{0, 2, 0}, {4, 3, 0}});
            assertEquals(-(0 + 0.96f) / 2, Losses.negativeCosine(p, z).getFloat(), 1e-6f);
            assertEquals((0 + 0.96f) / 2, Losses.meanCosine(p, z).getFloat(), 1e-6f);
        }
    }

    @Test
    void negativeCosineStopsTheGradientOfItsTarget() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray p = m.create(new float[][] {{1, 2, 0}, {3, 4, 1}});
            NDArray z = m.create(new float[][] {{0, 2, 1}, {4, 3, 0}});
            p.setRequiresGradient(true);
            z.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(Losses.negativeCosine(p, z));
            }
            try (NDArray gp = p.getGradient(); NDArray gz = z.getGradient()) {
                assertEquals(0f, gz.abs().sum().getFloat());
                assertFalse(gp.abs().sum().getFloat() == 0f);
                // d/dp of -cos(p, z)/N for row 1: -(z^ - cos * p^) / (N ||p||), with p^, z^ unit vectors.
                double[] pr = {1, 2, 0};
                double[] zr = {0, 2, 1};
                double np = Math.sqrt(5);
                double nz = Math.sqrt(5);
                double c = Ref.cos(pr, zr);
                float[] g = gp.toFloatArray();
                for (int j = 0; j < 3; j++) {
                    double expected = -(zr[j] / nz - c * pr[j] / np) / (2 * np);
                    assertEquals(expected, g[j], 1e-6);
                }
            }
        }
    }

    @Test
    void averageIsTheMeanOfScalars() {
        try (NDManager m = NDManager.newBaseManager()) {
            assertEquals(0.25f, Losses.average(m.create(1f), m.create(-0.5f)).getFloat(), 1e-7f);
        }
    }

    @Test
    void projectionStdIsZeroForCollapsedAndPositiveOtherwise() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray collapsed = m.create(new float[][] {{1, 2, 2}, {2, 4, 4}, {0.5f, 1, 1}});
            assertEquals(0f, Losses.projectionStd(collapsed).getFloat(), 1e-6f);
            // Rows e1, -e1: normalised column 0 is {1, -1} (std 1), others 0 -> mean over 3 dims = 1/3.
            NDArray spread = m.create(new float[][] {{2, 0, 0}, {-3, 0, 0}});
            assertEquals(1f / 3, Losses.projectionStd(spread).getFloat(), 1e-6f);
        }
    }
}
