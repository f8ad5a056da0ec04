package org.selfsup.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StandardizerTest {
    @Test
    void standardisesWithPopulationStatistics() {
        // column 0: 1, 2, 3 (mean 2, var 2/3); column 1: 5, 5, 5 (var 0 -> divided by sqrt(1e-5))
        FeatureMatrix f = FeatureMatrix.of(new float[] {1, 5, 2, 5, 3, 5}, 2);
        try (NDManager m = NDManager.newBaseManager(); Standardizer s = Standardizer.fit(m, f)) {
            float[] out = s.apply(m.create(new float[] {3, 6}, new ai.djl.ndarray.types.Shape(1, 2))).toFloatArray();
            assertEquals((3 - 2) / Math.sqrt(2.0 / 3 + 1e-5), out[0], 1e-5);
            assertEquals(1 / Math.sqrt(1e-5), out[1], 1e-2);
        }
    }

    @Test
    void evaluationReleasesItsArrays() {
        SplittableRandom rng = new SplittableRandom(2);
        FeatureMatrix bank = FeatureMatrix.of(KnnTest.randomUnitRows(rng, 50, 4), 4);
        FeatureMatrix test = FeatureMatrix.of(KnnTest.randomUnitRows(rng, 9, 4), 4);
        int[] labels = new int[50];
        int[] testLabels = new int[9];
        try (NDManager m = NDManager.newBaseManager()) {
            int before = m.getManagedArrays().size();
            new Knn(5, 0.1, 4, 16).evaluate(m, bank, labels, test, testLabels, 2);
            new LinearProbe(ProbeProtocol.FAST.withEpochs(2).withBatchSize(8), 1, s -> { })
                    .runOnFeatures(m, bank, labels, test, testLabels, test, testLabels, 2);
            assertEquals(before, m.getManagedArrays().size(), "no arrays left attached to the caller's manager");
        }
    }
}
