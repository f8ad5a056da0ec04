package org.selfsup.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.selfsup.augment.golden.GoldenCase;
import org.selfsup.augment.golden.GoldenCases;
import org.selfsup.augment.ops.HorizontalFlip;
import org.selfsup.augment.ops.Resampling;
import org.selfsup.augment.ops.ResizedCrop;
import org.selfsup.augment.random.CropBox;
import org.selfsup.augment.random.RandomResizedCrop;
import org.selfsup.data.Image;
import org.selfsup.data.Normalization;
import org.selfsup.optim.Larc;
import org.selfsup.optim.Sgd;

/** The DSSL probe protocols: schedule, optimiser and transforms as in the original main_lincls.py files. */
class ProbeProtocolTest {
    @Test
    void dsslCifarSchedule() {
        ProbeProtocol p = ProbeProtocol.named("dssl-cifar");
        assertEquals(ProbeProtocol.DSSL_CIFAR, p);
        assertEquals(100, p.epochs());
        assertEquals(256, p.batchSize());
        assertEquals(0.9, p.momentum());
        assertFalse(p.nesterov(), "DSSL's CIFAR probe has no Nesterov (RSA's has)");
        assertEquals(0.0, p.weightDecay());
        assertEquals(0.0, p.larcTrust());
        assertTrue(p.augment() && !p.standardize() && !p.cosine());
        assertEquals(30.0, p.lrAt(0));
        assertEquals(30.0, p.lrAt(59));
        assertEquals(3.0, p.lrAt(60), 1e-12);
        assertEquals(0.3, p.lrAt(80), 1e-12);
        assertEquals(0.3, p.lrAt(99), 1e-12);
    }

    @Test
    void dsslImagenetSchedule() {
        ProbeProtocol p = ProbeProtocol.named("DSSL-ImageNet");
        assertEquals(90, p.epochs());
        assertEquals(4096, p.batchSize());
        assertEquals(0.001, p.larcTrust());
        assertEquals(0.0, p.weightDecay());
        assertFalse(p.nesterov());
        assertTrue(p.cosine() && p.augment() && !p.standardize());
        // main_lincls.py adjust_learning_rate with --cos: lr * 0.5 * (1 + cos(pi * epoch / epochs)), per epoch
        assertEquals(1.6, p.lrAt(0), 1e-15);
        assertEquals(0.8, p.lrAt(45), 1e-12);
        assertEquals(1.6 * 0.5 * (1 + Math.cos(Math.PI * 89 / 90)), p.lrAt(89), 1e-15);
        assertTrue(p.lrAt(89) > 0, "the last epoch does not run at lr 0");
        assertEquals(0.8, p.withEpochs(10).lrAt(5), 1e-12);
    }

    @Test
    void optimiserIsLarcOnlyForTheImagenetProbe() {
        try (NDManager m = NDManager.newBaseManager();
             LinearHead head = new LinearHead(m, 4, 3, 0.01, new SplittableRandom(1))) {
            try (var larc = LinearProbe.optimizer(ProbeProtocol.DSSL_IMAGENET, head, m);
                 var sgd = LinearProbe.optimizer(ProbeProtocol.DSSL_CIFAR, head, m)) {
                assertInstanceOf(Larc.class, larc);
                assertInstanceOf(Sgd.class, sgd);
            }
        }
    }

    /** An in-memory test split of 32 x 32 images (what the test geometry is chosen for). */
    private static final org.selfsup.data.ImageStore CIFAR_SIZED = new org.selfsup.data.ImageStore("cifar-like", 32,
            32, 3, new byte[][] {new byte[32 * 32 * 3]}, new int[] {0}, java.util.List.of("a"));

    @Test
    void dsslCifarTestTransformIsPilBicubicResize36CentreCrop32() {
        int matched = 0;
        for (GoldenCase c : GoldenCases.load(goldenDir())) {
            if (c.op().equals("resize_center_crop_bicubic") && c.params().get("resize").asInt() == 36
                    && c.input().height() == 32 && c.input().width() == 32) {
                TestTransform t = ProbeProtocol.DSSL_CIFAR.testTransform(Normalization.CIFAR, 32, CIFAR_SIZED);
                assertArrayEquals(c.expected().data(), t.apply(c.input()).data(), "golden case " + c.id());
                matched++;
            }
        }
        assertEquals(3, matched);
        assertEquals(36, ProbeProtocol.DSSL_CIFAR.resizeSide(32));
        assertEquals(256, ProbeProtocol.DSSL_IMAGENET.resizeSide(224));
        assertEquals(256, ProbeProtocol.MSF.resizeSide(224));
    }

    @Test
    void dsslCifarTrainCropIsBicubicWithScale08() {
        Image img = goldenInput32();
        RandomResizedCrop crop = new RandomResizedCrop(32, 0.8, 1.0);
        for (long seed = 0; seed < 5; seed++) {
            CropBox b = crop.sampleBox(32, 32, new SplittableRandom(seed));
            assertTrue(b.height() * b.width() >= 0.75 * 32 * 32, "area fraction >= 0.8 (up to rounding)");
            Image expected = new ResizedCrop(b.top(), b.left(), b.height(), b.width(), 32, 32, Resampling.BICUBIC)
                    .apply(img);
            // same draws: the first two per try and the position; the flip draws after them
            Image got = ProbeProtocol.DSSL_CIFAR.trainAugment(32).apply(img, new SplittableRandom(seed));
            boolean same = Arrays.equals(expected.data(), got.data())
                    || Arrays.equals(expected.data(), new HorizontalFlip().apply(got).data());
            assertTrue(same, "seed " + seed + ": RandomResizedCrop(32, 0.8-1, bicubic) then flip");
        }
        assertEquals(0.08, ProbeProtocol.DSSL_IMAGENET.cropScale());
        assertEquals(Resampling.BILINEAR, ProbeProtocol.DSSL_IMAGENET.cropFilter());
    }

    @Test
    void namesListEveryProtocol() {
        assertEquals(List.of("cifar", "msf", "dssl-cifar", "dssl-imagenet", "fast"), ProbeProtocol.NAMES);
        for (String n : ProbeProtocol.NAMES) {
            assertEquals(n, ProbeProtocol.named(n).name());
        }
        // the probe key accepts these names (config's Choices.Probe, which the protocols switch on) or ""
        assertEquals(ProbeProtocol.NAMES, org.selfsup.config.ConfigKeys.choices("probe"));
    }

    private static Image goldenInput32() {
        for (GoldenCase c : GoldenCases.load(goldenDir())) {
            if (c.input().height() == 32 && c.input().width() == 32) {
                return c.input();
            }
        }
        throw new AssertionError("no 32x32 golden input");
    }

    private static Path goldenDir() {
        try {
            return Path.of(ProbeProtocolTest.class.getResource("/golden/cases.jsonl").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
