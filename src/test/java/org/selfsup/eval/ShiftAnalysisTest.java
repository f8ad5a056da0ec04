package org.selfsup.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.selfsup.data.ImageStore;
import org.selfsup.data.Normalization;
import org.selfsup.data.readers.SyntheticImages;
import org.selfsup.method.MethodRegistry;
import org.selfsup.model.ModelSpec;
import org.selfsup.model.SslModel;

/** The semantic-shift analysis on a tiny random-initialised encoder and synthetic images. */
class ShiftAnalysisTest {
    @BeforeAll
    static void singleThreaded() {
        org.selfsup.model.TorchThreads.single();
    }

    private static ShiftAnalysis.Result analyse(List<ShiftAnalysis.Probe> probes, long seed) {
        return analyse(probes, seed, 1);
    }

    private static ShiftAnalysis.Result analyse(List<ShiftAnalysis.Probe> probes, long seed, int workers) {
        ImageStore train = SyntheticImages.generate("synthetic/train", 64, 4, 16, 3, 0);
        ImageStore test = SyntheticImages.generate("synthetic/test", 40, 4, 16, 3, 1);
        ModelSpec spec = MethodRegistry.modelSpec("vicreg", "small", 4, List.of(1, 1, 1, 1), null);
        try (NDManager m = NDManager.newBaseManager();
             SslModel model = SslModel.create(spec.withoutPredictor(), false, false, m, 16, 5)) {
            return ShiftAnalysis.run(m, Encoders.backbone(model, m), train,
                    test.subset("sample", ShiftAnalysis.sample(test.size(), 24, seed)),
                    TestTransform.plain(Normalization.CIFAR), probes, seed, new Knn(10, 0.1, 1024, 16384), 16, workers);
        }
    }

    @Test
    void identicalNumbersOnTwoRunsAndZeroShiftForTheIdentity() {
        List<ShiftAnalysis.Probe> probes = ShiftAnalysis.standardProbes(16, List.of(9, 30));
        ShiftAnalysis.Result a = analyse(probes, 3);
        ShiftAnalysis.Result b = analyse(probes, 3);
        assertEquals(a, b, "same seed, same numbers");
        assertEquals(probes.size(), a.rows().size());
        assertEquals(24, a.images());
        ShiftAnalysis.Row identity = a.rows().stream().filter(r -> r.family().equals("identity")).findFirst()
                .orElseThrow();
        assertEquals(0.0, identity.shift(), "identity moves nothing");
        assertEquals(0.0, identity.knnDrop());
        assertEquals(a.cleanTop1(), identity.knnTop1());
        // ranked by shift, largest first; every real augmentation here moves the embedding
        for (int i = 1; i < a.rows().size(); i++) {
            assertTrue(a.rows().get(i - 1).shift() >= a.rows().get(i).shift());
        }
        assertTrue(a.rows().get(0).shift() > 0);
        // Solarize at M=30 (threshold 256) changes no pixel either: DSSL's quirk, shift exactly 0 as well
        ShiftAnalysis.Row solarize30 = a.rows().stream().filter(r -> r.op().equals("SOLARIZE")
                && r.parameter().startsWith("M=30")).findFirst().orElseThrow();
        assertEquals(0.0, solarize30.shift());
        assertEquals(0.0, a.rows().get(a.rows().size() - 1).shift(), "the identity-like probes rank last");
        Set<String> families = a.rows().stream().map(ShiftAnalysis.Row::family).collect(Collectors.toSet());
        assertEquals(Set.of("identity", "randaugment", "crop", "colour-jitter", "blur", "solarize", "grayscale"),
                families);
        // the random probes depend on the seed
        ShiftAnalysis.Result c = analyse(probes, 4);
        assertTrue(!a.rows().equals(c.rows()));
    }

    @Test
    void workersChangeNothingAndTheThreadCountIsRestored() {
        List<ShiftAnalysis.Probe> probes = ShiftAnalysis.standardProbes(16, List.of(9, 30));
        int threads = org.selfsup.runtime.TorchThreads.current();
        ShiftAnalysis.Result one = analyse(probes, 3, 1);
        ShiftAnalysis.Result three = analyse(probes, 3, 3);
        assertEquals(one, three, "batches, bank and probes on three threads: the same numbers");
        assertEquals(threads, org.selfsup.runtime.TorchThreads.current(), "intra-op threads restored");
        // probes that change no image reuse the clean features and kNN top-1: exactly the clean numbers
        for (ShiftAnalysis.Row r : three.rows()) {
            if (r.shift() == 0.0) {
                assertEquals(three.cleanTop1(), r.knnTop1(), r.op() + " " + r.parameter());
            }
        }
    }

    @Test
    void probesCoverEveryRandAugmentOpAtEachMagnitude() {
        List<ShiftAnalysis.Probe> probes = ShiftAnalysis.standardProbes(32, List.of(3, 9, 16, 30));
        long ra = probes.stream().filter(p -> p.family().equals("randaugment")).count();
        assertEquals(13 * 4 + 3, ra, "13 ops with a magnitude x 4, AutoContrast/Equalize/Invert once");
        assertEquals(probes.size(), probes.stream().map(ShiftAnalysis.Probe::key).distinct().count(), "unique keys");
    }

    @Test
    void subsampleIsSortedDistinctAndSeeded() {
        int[] s = ShiftAnalysis.sample(100, 10, 7);
        assertEquals(10, s.length);
        for (int i = 1; i < s.length; i++) {
            assertTrue(s[i] > s[i - 1]);
        }
        assertArrayEquals(s, ShiftAnalysis.sample(100, 10, 7));
        assertEquals(100, ShiftAnalysis.sample(100, 0, 7).length);
        assertEquals(1.0, ShiftAnalysis.oneMinusCosine(new float[] {1, 0}, new float[] {0, 3}), 1e-12);
        assertEquals(0.0, ShiftAnalysis.oneMinusCosine(new float[] {0.3f, 0.7f}, new float[] {0.3f, 0.7f}));
    }
}
