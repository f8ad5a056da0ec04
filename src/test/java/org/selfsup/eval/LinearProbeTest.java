package org.selfsup.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.selfsup.augment.RandomTransform;
import org.selfsup.data.Image;
import org.selfsup.data.ImageStore;
import org.selfsup.data.Normalization;
import org.selfsup.util.UserException;

class LinearProbeTest {
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
    void protocolTables() {
        ProbeProtocol c = ProbeProtocol.CIFAR;
        assertEquals(100, c.epochs());
        assertEquals(256, c.batchSize());
        assertTrue(c.nesterov() && c.augment() && !c.standardize());
        assertEquals(0.0, c.weightDecay());
        assertEquals(0.9, c.momentum());
        assertEquals(0.01, c.initStd());
        assertEquals(0.08, c.cropScale());
        assertEquals(30.0, c.lrAt(0));
        assertEquals(30.0, c.lrAt(59));
        assertEquals(3.0, c.lrAt(60), 1e-12);
        assertEquals(3.0, c.lrAt(79), 1e-12);
        assertEquals(0.3, c.lrAt(80), 1e-12);
        assertEquals(0.3, c.lrAt(99), 1e-12);

        ProbeProtocol m = ProbeProtocol.MSF;
        assertEquals(40, m.epochs());
        assertTrue(m.standardize() && m.augment() && !m.nesterov());
        assertEquals(1e-4, m.weightDecay());
        assertEquals(0.01, m.lrAt(14), 1e-15);
        assertEquals(0.001, m.lrAt(15), 1e-15);
        assertEquals(0.0001, m.lrAt(30), 1e-15);

        assertTrue(!ProbeProtocol.FAST.augment() && ProbeProtocol.FAST.standardize());
        assertEquals(0.1, ProbeProtocol.FAST.lr());
        assertEquals(0.01, ProbeProtocol.FAST.lrAt(15), 1e-15);
        assertEquals(List.of(6, 8), c.withEpochs(10).milestones());
        assertEquals(ProbeProtocol.MSF, ProbeProtocol.named("MSF"));
        assertThrows(UserException.class, () -> ProbeProtocol.named("imagenet"));
    }

    @Test
    void splitIsSeededDisjointAndComplete() {
        int[][] a = LinearProbe.split(100, 0.2, 42);
        int[][] b = LinearProbe.split(100, 0.2, 42);
        assertArrayEquals(a[1], b[1]);
        assertEquals(80, a[0].length);
        assertEquals(20, a[1].length);
        int[] all = IntStream.concat(Arrays.stream(a[0]), Arrays.stream(a[1])).sorted().toArray();
        assertArrayEquals(IntStream.range(0, 100).toArray(), all);
        assertTrue(!Arrays.equals(a[1], LinearProbe.split(100, 0.2, 43)[1]));
        assertEquals(0, LinearProbe.split(10, 0, 1)[1].length);
        assertThrows(UserException.class, () -> LinearProbe.split(10, 1.0, 1));
        assertThrows(UserException.class, () -> LinearProbe.split(10, 0.01, 1));
    }

    @Test
    void fastProbeSeparatesSeparableFeatures() {
        SplittableRandom rng = new SplittableRandom(3);
        int dim = 16;
        int classes = 4;
        float[] centres = KnnTest.randomUnitRows(rng, classes, dim);
        Data train = blobs(rng, centres, 400, dim);
        Data val = blobs(rng, centres, 80, dim);
        Data test = blobs(rng, centres, 101, dim);
        List<String> lines = new ArrayList<>();
        ProbeProtocol p = ProbeProtocol.FAST.withEpochs(4).withBatchSize(32);
        ProbeResult r = new LinearProbe(p, 1, lines::add).runOnFeatures(manager, train.f, train.labels, val.f,
                val.labels, test.f, test.labels, classes);
        assertEquals(101, r.testImages());
        assertTrue(r.testTop1() >= 99.0, "test top-1 " + r.testTop1());
        assertEquals(100.0, r.testTop5());
        assertEquals(4, r.history().size());
        assertEquals(4, lines.size());
        assertTrue(r.history().get(3).trainLoss() < r.history().get(0).trainLoss());
        assertTrue(r.bestValEpoch() >= 0 && r.bestValTop1() >= 99.0);
        assertTrue(r.testTop1AtBestVal() >= 99.0);
        // same seed, same result
        ProbeResult again = new LinearProbe(p, 1, s -> { }).runOnFeatures(manager, train.f, train.labels, val.f,
                val.labels, test.f, test.labels, classes);
        assertEquals(r.history().get(3).trainLoss(), again.history().get(3).trainLoss(), 1e-6);
    }

    @Test
    void chanceLevelOnRandomLabels() {
        SplittableRandom rng = new SplittableRandom(5);
        float[] centres = KnnTest.randomUnitRows(rng, 2, 8);
        Data train = blobs(rng, centres, 200, 8);
        Data test = blobs(rng, centres, 400, 8);
        for (int i = 0; i < test.labels.length; i++) {
            test.labels[i] = rng.nextInt(2);
        }
        ProbeResult r = new LinearProbe(ProbeProtocol.FAST.withEpochs(3), 1, s -> { }).runOnFeatures(manager,
                train.f, train.labels, null, null, test.f, test.labels, 2);
        assertTrue(r.testTop1() > 35 && r.testTop1() < 65, "test top-1 " + r.testTop1());
        assertEquals(-1, r.bestValEpoch());
        assertTrue(Double.isNaN(r.testTop1AtBestVal()));
    }

    @Test
    void augmentedProbeOnImagesThroughAnEncoder() {
        // class c images are bright in quadrant c; the "encoder" is mean-pooling to 2x2 per channel (12-d)
        SplittableRandom rng = new SplittableRandom(11);
        ImageStore train = quadrantImages(rng, 64);
        ImageStore test = quadrantImages(rng, 37);
        FeatureEncoder pool = x -> x.reshape(x.getShape().get(0), 3, 2, 4, 2, 4).mean(new int[] {5}).mean(new int[] {3})
                .reshape(x.getShape().get(0), 12);
        int[] flips = new int[1];
        RandomTransform flipUpDownNever = (img, r) -> {
            flips[0]++;
            r.nextInt(); // consume the stream like a real transform
            return img;
        };
        ProbeProtocol p = ProbeProtocol.MSF.withEpochs(3).withBatchSize(16);
        ProbeResult r = new LinearProbe(p, 7, s -> { }).run(manager, pool, 10, train, test,
                TestTransform.plain(Normalization.CIFAR), flipUpDownNever, 0.25);
        assertEquals(37, r.testImages());
        assertEquals(16, r.valImages());
        assertEquals(3 * 48, flips[0], "each training image augmented once per epoch");
        assertTrue(r.testTop1() >= 95.0, "test top-1 " + r.testTop1());
    }

    private record Data(FeatureMatrix f, int[] labels) {}

    private static Data blobs(SplittableRandom rng, float[] centres, int n, int dim) {
        int classes = centres.length / dim;
        float[] x = new float[n * dim];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int c = i % classes;
            labels[i] = c;
            double norm = 0;
            for (int d = 0; d < dim; d++) {
                float v = centres[c * dim + d] + (float) (0.15 * rng.nextGaussian());
                x[i * dim + d] = v;
                norm += v * v;
            }
            for (int d = 0; d < dim; d++) {
                x[i * dim + d] /= (float) Math.sqrt(norm);
            }
        }
        return new Data(FeatureMatrix.of(x, dim), labels);
    }

    private static ImageStore quadrantImages(SplittableRandom rng, int n) {
        byte[][] pixels = new byte[n][];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int c = i % 4;
            labels[i] = c;
            Image img = Image.blank(8, 8, 3);
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 8; x++) {
                    int q = (y / 4) * 2 + x / 4;
                    int base = q == c ? 180 : 40;
                    for (int ch = 0; ch < 3; ch++) {
                        img.set(y, x, ch, base + rng.nextInt(60));
                    }
                }
            }
            pixels[i] = img.data();
        }
        return new ImageStore("quadrants", 8, 8, 3, pixels, labels, List.of("a", "b", "c", "d"));
    }
}
