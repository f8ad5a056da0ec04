package org.selfsup.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.selfsup.data.readers.SyntheticImages;

class SyntheticImagesTest {
    @Test
    void deterministicPerSeedAndDifferentAcrossSeeds() {
        ImageStore a = SyntheticImages.generate("a", 12, 3, 16, 7, 0);
        ImageStore b = SyntheticImages.generate("b", 12, 3, 16, 7, 0);
        ImageStore c = SyntheticImages.generate("c", 12, 3, 16, 8, 0);
        assertArrayEquals(new int[] {0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2}, a.labels());
        assertEquals(3, a.channels());
        for (int i = 0; i < 12; i++) {
            assertArrayEquals(a.pixels(i), b.pixels(i));
        }
        assertTrue(!java.util.Arrays.equals(a.pixels(0), c.pixels(0)));
    }

    /** A 1-nearest-neighbour classifier on raw pixels must beat chance (10%) by far. */
    @Test
    void classesAreSeparableByNearestNeighbourOnPixels() {
        ImageStore train = SyntheticImages.generate("train", 200, 10, 16, 1, 0);
        ImageStore test = SyntheticImages.generate("test", 100, 10, 16, 1, 1);
        int correct = 0;
        for (int i = 0; i < test.size(); i++) {
            byte[] q = test.pixels(i);
            long best = Long.MAX_VALUE;
            int label = -1;
            for (int j = 0; j < train.size(); j++) {
                byte[] t = train.pixels(j);
                long d = 0;
                for (int k = 0; k < q.length; k++) {
                    int diff = (q[k] & 0xFF) - (t[k] & 0xFF);
                    d += (long) diff * diff;
                }
                if (d < best) {
                    best = d;
                    label = train.label(j);
                }
            }
            correct += label == test.label(i) ? 1 : 0;
        }
        assertTrue(correct >= 50, "1-NN accuracy " + correct + "% should be far above chance");
    }
}
