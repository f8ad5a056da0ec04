package org.selfsup.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class KnnTest {
    private static NDManager manager;

    @BeforeAll
    static void start() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    @Test
    void voteWeightsNeighboursBySimilarity() {
        float[] sims = {0.9f, 0.8f, 0.5f};
        int[] labels = {0, 1, 1};
        // t = 0.1: class 0 gets e^9 = 8103.08, class 1 gets e^8 + e^5 = 2980.96 + 148.41: one close neighbour wins
        double[] s = Knn.vote(sims, labels, 0, 3, 3, 0.1);
        assertEquals(Math.exp(9.0), s[0], 1e-2);
        assertEquals(Math.exp(8.0) + Math.exp(5.0), s[1], 1e-2);
        assertEquals(0.0, s[2]);
        assertEquals(0, Knn.ranking(s, 1)[0]);
        // t = 1: e^0.9 = 2.460 < e^0.8 + e^0.5 = 3.874: the two neighbours of class 1 win
        double[] s1 = Knn.vote(sims, labels, 0, 3, 3, 1.0);
        assertEquals(2.4596, s1[0], 1e-4);
        assertEquals(3.8742, s1[1], 1e-4);
        assertEquals(1, Knn.ranking(s1, 1)[0]);
    }

    @Test
    void voteReadsOnlyItsRow() {
        float[] sims = {0.1f, 0.2f, 0.3f, 0.4f};
        int[] labels = {0, 0, 1, 1};
        double[] s = Knn.vote(sims, labels, 2, 2, 2, 0.1);
        assertEquals(0.0, s[0]);
        assertEquals(Math.exp(3.0) + Math.exp(4.0), s[1], 1e-4);
    }

    @Test
    void tiesGoToTheLowerClass() {
        assertArrayEquals(new int[] {1, 2}, Knn.ranking(new double[] {1, 3, 3, 0}, 2));
        assertArrayEquals(new int[] {0, 1, 2}, Knn.ranking(new double[] {5, 5, 5}, 5));
    }

    @Test
    void handComputedExample() {
        // bank: unit vectors at angles 0, 10, 20 degrees (class 0) and 90, 100 (class 1), 180 (class 2)
        double[] angles = {0, 10, 20, 90, 100, 180};
        int[] bankLabels = {0, 0, 0, 1, 1, 2};
        FeatureMatrix bank = FeatureMatrix.of(unit(angles), 2);
        // test at 60 degrees: cos to bank = .5, .643, .766, .866, .766, -.5
        // k = 3 -> neighbours 90 (1), 100 (1, .766) and 20 (0, .766):
        //   class 1: e^8.66 + e^7.66 = 5768.5 + 2122.1 ; class 0: e^7.66 = 2122.1 -> class 1
        // test at 30 degrees: cos = .866, .940, .985, .5, .342, -.866 -> k = 3 gives class 0
        // test at 170 degrees: cos = -.985, -.940, -.866, .174, .342, .985 -> class 2 (e^9.85) beats class 1
        FeatureMatrix test = FeatureMatrix.of(unit(new double[] {60, 30, 170}), 2);
        Knn knn = new Knn(3, 0.1, 2, 4);
        int[][] ranked = knn.rankClasses(manager, bank, bankLabels, test, 3, 3);
        assertArrayEquals(new int[] {1, 0, 2}, ranked[0]);
        assertEquals(0, ranked[1][0]);
        assertEquals(2, ranked[2][0]);
        assertEquals(1, ranked[2][1]);
        KnnResult r = knn.evaluate(manager, bank, bankLabels, test, new int[] {1, 0, 1}, 3);
        assertEquals(200.0 / 3, r.top1(), 1e-9);
        assertEquals(100.0, r.top5(), 1e-9);
        assertEquals(3, r.scored());
    }

    @Test
    void kLargerThanBankUsesTheWholeBank() {
        FeatureMatrix bank = FeatureMatrix.of(unit(new double[] {0, 5, 90}), 2);
        FeatureMatrix test = FeatureMatrix.of(unit(new double[] {80}), 2);
        // all 3 neighbours: class 0 e^(10cos80)+e^(10cos75) = e^1.736 + e^2.588 = 5.68 + 13.30 < class 1 e^9.848
        KnnResult r = new Knn().evaluate(manager, bank, new int[] {0, 0, 1}, test, new int[] {1}, 2);
        assertEquals(3, r.k());
        assertEquals(100.0, r.top1());
        // with t = 10 the weights are nearly equal: two class-0 votes beat one class-1 vote
        KnnResult flat = new Knn(200, 10, 8, 8).evaluate(manager, bank, new int[] {0, 0, 1}, test, new int[] {1}, 2);
        assertEquals(0.0, flat.top1());
    }

    @Test
    void chunkedEqualsUnchunkedAndBruteForce() {
        SplittableRandom rng = new SplittableRandom(7);
        int dim = 8;
        int nBank = 157;
        int nTest = 41;
        int classes = 6;
        float[] b = randomUnitRows(rng, nBank, dim);
        float[] q = randomUnitRows(rng, nTest, dim);
        int[] bl = new int[nBank];
        for (int i = 0; i < nBank; i++) {
            bl[i] = rng.nextInt(classes);
        }
        FeatureMatrix bank = new FeatureMatrix(dim);
        // several uneven blocks, as an extractor appends them
        bank.append(java.util.Arrays.copyOfRange(b, 0, 50 * dim));
        bank.append(java.util.Arrays.copyOfRange(b, 50 * dim, 51 * dim));
        bank.append(java.util.Arrays.copyOfRange(b, 51 * dim, nBank * dim));
        FeatureMatrix test = FeatureMatrix.of(q, dim);
        int k = 20;
        int[][] whole = new Knn(k, 0.1, 1000, 1000).rankClasses(manager, bank, bl, test, classes, 5);
        int[][] chunked = new Knn(k, 0.1, 7, 13).rankClasses(manager, bank, bl, test, classes, 5);
        for (int i = 0; i < nTest; i++) {
            assertArrayEquals(whole[i], chunked[i], "row " + i);
            assertArrayEquals(bruteForce(b, bl, q, i, dim, k, classes), chunked[i], "row " + i);
        }
    }

    private static int[] bruteForce(float[] bank, int[] labels, float[] q, int row, int dim, int k, int classes) {
        int n = labels.length;
        double[] sims = new double[n];
        Integer[] order = new Integer[n];
        for (int j = 0; j < n; j++) {
            double s = 0;
            for (int d = 0; d < dim; d++) {
                s += q[row * dim + d] * bank[j * dim + d];
            }
            sims[j] = s;
            order[j] = j;
        }
        java.util.Arrays.sort(order, (x, y) -> Double.compare(sims[y], sims[x]));
        double[] scores = new double[classes];
        for (int j = 0; j < k; j++) {
            scores[labels[order[j]]] += Math.exp(sims[order[j]] / 0.1);
        }
        return Knn.ranking(scores, 5);
    }

    static float[] randomUnitRows(SplittableRandom rng, int n, int dim) {
        float[] out = new float[n * dim];
        for (int i = 0; i < n; i++) {
            double norm = 0;
            for (int d = 0; d < dim; d++) {
                double v = rng.nextDouble(-1, 1);
                out[i * dim + d] = (float) v;
                norm += v * v;
            }
            for (int d = 0; d < dim; d++) {
                out[i * dim + d] /= (float) Math.sqrt(norm);
            }
        }
        return out;
    }

    private static float[] unit(double[] degrees) {
        float[] out = new float[degrees.length * 2];
        for (int i = 0; i < degrees.length; i++) {
            out[2 * i] = (float) Math.cos(Math.toRadians(degrees[i]));
            out[2 * i + 1] = (float) Math.sin(Math.toRadians(degrees[i]));
        }
        return out;
    }
}
