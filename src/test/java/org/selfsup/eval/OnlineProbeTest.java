package org.selfsup.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The online probe's classifier learns a separable problem, and its state round-trips. */
class OnlineProbeTest {
    private static final int DIM = 16;
    private static final int CLASSES = 4;

    /** Gaussian clusters around one random centre per class (separable: centres 4 std apart or more). */
    private static float[] cluster(Random rnd, float[][] centres, int[] labels) {
        float[] x = new float[labels.length * DIM];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = rnd.nextInt(CLASSES);
            for (int d = 0; d < DIM; d++) {
                x[i * DIM + d] = centres[labels[i]][d] + (float) rnd.nextGaussian() * 0.5f;
            }
        }
        return x;
    }

    @Test
    void learnsASeparableProblemFarAboveChance() throws Exception {
        Random rnd = new Random(1);
        float[][] centres = new float[CLASSES][DIM];
        for (float[] c : centres) {
            for (int d = 0; d < DIM; d++) {
                c[d] = (float) rnd.nextGaussian();
            }
        }
        try (NDManager m = NDManager.newBaseManager(); OnlineProbe probe = new OnlineProbe(m, DIM, CLASSES)) {
            double firstRunning = -1;
            for (int step = 0; step < 150; step++) {
                int[] labels = new int[32];
                float[] x = cluster(rnd, centres, labels);
                if (step % 4 == 0) {
                    labels[0] = -1; // unlabelled images are left out
                }
                try (NDManager sm = m.newSubManager()) {
                    probe.train(sm, sm.create(x, new Shape(32, DIM)), labels);
                }
                if (step == 9) {
                    firstRunning = probe.readRunning(10)[0];
                }
            }
            double[] running = probe.readRunning(140);
            int[] testLabels = new int[1000];
            FeatureMatrix test = FeatureMatrix.of(cluster(rnd, centres, testLabels), DIM);
            double acc = probe.accuracy(test, testLabels);
            // chance is 25%: the probe must beat it by at least 60 points on held-out samples
            assertTrue(acc >= 85.0, "test accuracy " + acc);
            assertTrue(running[0] >= 85.0 && running[0] >= firstRunning, "running " + running[0] + " after "
                    + firstRunning);
            assertTrue(running[1] < Math.log(CLASSES), "mean loss " + running[1]);
            assertEquals(150, probe.steps());

            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            probe.save(new DataOutputStream(bytes));
            try (OnlineProbe copy = new OnlineProbe(m, DIM, CLASSES)) {
                copy.load(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
                assertEquals(acc, copy.accuracy(test, testLabels));
                ByteArrayOutputStream again = new ByteArrayOutputStream();
                copy.save(new DataOutputStream(again));
                assertArrayEquals(bytes.toByteArray(), again.toByteArray());
            }
        }
    }
}
