package org.selfsup.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.selfsup.data.Image;
import org.selfsup.augment.random.RandAugment;
import org.selfsup.augment.random.RandAugmentOp;

/** DSSL's RandAugment: op choice with replacement, magnitudes, signs and cutout centres. */
class RandAugmentTest {

    @Test
    void magnitudesMatchTheSpecTable() {
        // methods.md §3.2, v at M=9 and M=16
        assertEquals(9.0, RandAugmentOp.ROTATE.magnitude(9), 1e-12);
        assertEquals(1.2, RandAugmentOp.POSTERIZE.magnitude(9), 1e-12);
        assertEquals(76.8, RandAugmentOp.SOLARIZE.magnitude(9), 1e-9);
        assertEquals(33.0, RandAugmentOp.SOLARIZE_ADD.magnitude(9), 1e-9);
        assertEquals(0.64, RandAugmentOp.COLOR.magnitude(9), 1e-12);
        assertEquals(0.09, RandAugmentOp.SHEAR_X.magnitude(9), 1e-12);
        assertEquals(12.0, RandAugmentOp.CUTOUT_ABS.magnitude(9), 1e-9);
        assertEquals(30.0, RandAugmentOp.TRANSLATE_X_ABS.magnitude(9), 1e-9);
        assertEquals(16.0, RandAugmentOp.ROTATE.magnitude(16), 1e-12);
        assertEquals(1.06, RandAugmentOp.SHARPNESS.magnitude(16), 1e-12);
        assertEquals(53.333333, RandAugmentOp.TRANSLATE_Y_ABS.magnitude(16), 1e-5);
        assertEquals(21.333333, RandAugmentOp.CUTOUT_ABS.magnitude(16), 1e-5);
        assertEquals(16, RandAugmentOp.values().length);
    }

    @Test
    void opsAreDrawnUniformlyWithReplacementWithRandomSigns() {
        RandAugment ra = new RandAugment(2, 9);
        SplittableRandom rng = new SplittableRandom(21);
        int samples = 16_000;
        Map<RandAugmentOp, Integer> counts = new EnumMap<>(RandAugmentOp.class);
        Map<RandAugmentOp, Integer> negatives = new EnumMap<>(RandAugmentOp.class);
        int repeats = 0;
        for (int t = 0; t < samples; t++) {
            List<RandAugment.Sampled> ops = ra.sample(32, 32, rng);
            assertEquals(2, ops.size());
            if (ops.get(0).op() == ops.get(1).op()) {
                repeats++;
            }
            for (RandAugment.Sampled s : ops) {
                counts.merge(s.op(), 1, Integer::sum);
                double v = RandAugmentOp.values()[s.op().ordinal()].magnitude(9);
                assertEquals(v, Math.abs(s.value()), 1e-12, s.op() + " magnitude");
                if (s.value() < 0) {
                    negatives.merge(s.op(), 1, Integer::sum);
                }
                if (s.op() == RandAugmentOp.CUTOUT_ABS) {
                    // np.random.uniform(w): uniform between 1 and w
                    assertTrue(s.centerX() >= 1 && s.centerX() <= 32, "cutout x " + s.centerX());
                    assertTrue(s.centerY() >= 1 && s.centerY() <= 32, "cutout y " + s.centerY());
                } else {
                    assertTrue(Double.isNaN(s.centerX()));
                }
                s.toOp(); // every op constructs
            }
        }
        assertEquals(16, counts.size());
        for (RandAugmentOp op : RandAugmentOp.values()) {
            RandomWrappersTest.assertBinomial(counts.get(op), 2 * samples, 1.0 / 16, op + " count");
            int neg = negatives.getOrDefault(op, 0);
            if (op.signed()) {
                RandomWrappersTest.assertBinomial(neg, counts.get(op), 0.5, op + " negative sign");
            } else {
                assertEquals(0, neg, op + " has no random sign");
            }
        }
        // sampling with replacement: the same op twice in 1/16 of the pairs
        RandomWrappersTest.assertBinomial(repeats, samples, 1.0 / 16, "repeated op");
    }

    @Test
    void relativeMagnitudesScalePixelOpsByTheImageSide() {
        RandAugment ra = new RandAugment(4, 9, true);
        SplittableRandom rng = new SplittableRandom(22);
        int seen = 0;
        for (int t = 0; t < 2000; t++) {
            for (RandAugment.Sampled s : ra.sample(64, 32, rng)) {
                double expected = switch (s.op()) {
                    case TRANSLATE_X_ABS -> 30.0 * 32 / 224;
                    case TRANSLATE_Y_ABS -> 30.0 * 64 / 224;
                    case CUTOUT_ABS -> 12.0 * 32 / 224;
                    default -> s.op().magnitude(9);
                };
                if (s.op().inPixels()) {
                    seen++;
                }
                assertEquals(expected, Math.abs(s.value()), 1e-9, s.op().toString());
            }
        }
        assertTrue(seen > 1000);
    }

    @Test
    void zeroOpsIsTheIdentityAndBadArgumentsFail() {
        Image img = TestImages.image(16, 16, 23);
        assertEquals(img, new RandAugment(0, 9).apply(img, new SplittableRandom(1)));
        assertThrows(IllegalArgumentException.class, () -> new RandAugment(2, 31));
        assertThrows(IllegalArgumentException.class, () -> new RandAugment(-1, 9));
    }

    @Test
    void appliedRandAugmentKeepsTheImageSize() {
        Image img = TestImages.image(32, 32, 24);
        RandAugment ra = new RandAugment(8, 16);
        for (int s = 0; s < 40; s++) {
            Image out = ra.apply(img, new SplittableRandom(s));
            assertEquals(32, out.height());
            assertEquals(32, out.width());
            assertEquals(3, out.channels());
        }
    }
}
