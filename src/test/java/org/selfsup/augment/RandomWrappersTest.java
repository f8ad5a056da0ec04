package org.selfsup.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.selfsup.data.Image;
import org.selfsup.augment.random.ColorJitter;
import org.selfsup.augment.random.CropBox;
import org.selfsup.augment.random.RandomApply;
import org.selfsup.augment.random.RandomEither;
import org.selfsup.augment.random.RandomGaussianBlur;
import org.selfsup.augment.random.RandomGrayscale;
import org.selfsup.augment.random.RandomGridShuffle;
import org.selfsup.augment.random.RandomHorizontalFlip;
import org.selfsup.augment.random.RandomResizedCrop;

/** Parameter distributions of the random wrappers (torchvision sampling rules). */
class RandomWrappersTest {
    private static final int N = 20_000;

    /** Asserts that {@code count} successes in {@code n} trials are within 4.5 sigma of {@code p}. */
    static void assertBinomial(long count, int n, double p, String what) {
        double sd = Math.sqrt(n * p * (1 - p));
        double expected = n * p;
        assertTrue(Math.abs(count - expected) <= 4.5 * sd + 1e-9,
                what + ": " + count + " of " + n + ", expected " + expected + " +- " + 4.5 * sd);
    }

    @Test
    void cropAreaAndAspectWithinRanges() {
        RandomResizedCrop crop = new RandomResizedCrop(32, 0.2, 1.0);
        SplittableRandom rng = new SplittableRandom(1);
        int h = 1000;
        int w = 1000;
        for (int t = 0; t < N; t++) {
            CropBox b = crop.sampleBox(h, w, rng);
            double frac = (double) b.area() / (h * w);
            // rounding w and h to integers moves the area by at most ~(w + h) / 2 pixels
            assertTrue(frac >= 0.2 - 0.002 && frac <= 1.0, "area fraction " + frac);
            double logAspect = Math.log((double) b.width() / b.height());
            assertTrue(Math.abs(logAspect) <= Math.log(4.0 / 3.0) + 0.003, "log aspect " + logAspect);
            assertTrue(b.top() >= 0 && b.top() + b.height() <= h, "top " + b);
            assertTrue(b.left() >= 0 && b.left() + b.width() <= w, "left " + b);
        }
    }

    @Test
    void cropDrawsAreUniformWhenEveryTryFits() {
        // with scale <= 0.5 every first try fits a square image: area ~ U(0.08, 0.5), log-ratio ~ U(+-log 4/3)
        RandomResizedCrop crop = new RandomResizedCrop(32, 0.08, 0.5);
        SplittableRandom rng = new SplittableRandom(2);
        double sumFrac = 0;
        double sumLog = 0;
        double sumLog2 = 0;
        int small = 0;
        for (int t = 0; t < N; t++) {
            CropBox b = crop.sampleBox(2000, 2000, rng);
            double frac = (double) b.area() / (2000.0 * 2000.0);
            double l = Math.log((double) b.width() / b.height());
            sumFrac += frac;
            sumLog += l;
            sumLog2 += l * l;
            if (frac < 0.08 + (0.5 - 0.08) / 4) {
                small++;
            }
        }
        double range = 0.5 - 0.08;
        double sdMean = range / Math.sqrt(12) / Math.sqrt(N);
        assertEquals(0.29, sumFrac / N, 5 * sdMean, "mean area fraction");
        double lr = 2 * Math.log(4.0 / 3.0);
        assertEquals(0, sumLog / N, 5 * lr / Math.sqrt(12) / Math.sqrt(N), "mean log aspect");
        assertEquals(lr * lr / 12, sumLog2 / N, 0.05 * lr * lr / 12, "variance of a uniform log aspect");
        assertBinomial(small, N, 0.25, "first quarter of the area range");
    }

    @Test
    void cropPositionIsUniform() {
        RandomResizedCrop crop = new RandomResizedCrop(8, 0.2, 0.2, 1.0, 1.0);
        SplittableRandom rng = new SplittableRandom(3);
        // 0.2 * 100 = 20 -> sqrt = 4.47 -> w = h = 4, top uniform in 0..6
        int[] tops = new int[7];
        for (int t = 0; t < 7000; t++) {
            CropBox b = crop.sampleBox(10, 10, rng);
            assertEquals(4, b.height());
            assertEquals(4, b.width());
            tops[b.top()]++;
        }
        for (int c : tops) {
            assertBinomial(c, 7000, 1.0 / 7, "top position");
        }
    }

    @Test
    void cropFallsBackToTorchvisionCentreCrop() {
        RandomResizedCrop crop = new RandomResizedCrop(32, 0.9, 1.0);
        // wide 10x1000: every try needs h ~ 100 > 10, so all 10 tries fail
        assertEquals(new CropBox(0, 493, 10, 13), crop.sampleBox(10, 1000, new SplittableRandom(4)));
        // tall 1000x10: w = 10, h = round(10 / 0.75) = 13, centred
        assertEquals(new CropBox(493, 0, 13, 10), crop.sampleBox(1000, 10, new SplittableRandom(5)));
    }

    @Test
    void cropRoundsHalfToEvenLikePython() {
        // 0.390625 * 16 = 6.25 -> sqrt 2.5 -> Python round(2.5) = 2 (half to even), not 3
        CropBox b = new RandomResizedCrop(4, 0.390625, 0.390625, 1.0, 1.0).sampleBox(4, 4, new SplittableRandom(7));
        assertEquals(2, b.width());
        assertEquals(2, b.height());
    }

    @Test
    void cropOutputHasTheRequestedSize() {
        Image img = TestImages.image(40, 30, 8);
        Image out = new RandomResizedCrop(16, 0.2, 1.0).apply(img, new SplittableRandom(9));
        assertEquals(16, out.height());
        assertEquals(16, out.width());
        assertEquals(3, out.channels());
    }

    @Test
    void flipGrayscaleAndApplyProbabilities() {
        SplittableRandom rng = new SplittableRandom(10);
        RandomHorizontalFlip flip = new RandomHorizontalFlip(0.5);
        RandomGrayscale gray = new RandomGrayscale(0.2);
        RandomApply apply = new RandomApply((img, r) -> img, 0.8);
        RandomEither either = new RandomEither(0.9, (img, r) -> img, (img, r) -> img);
        int flips = 0;
        int grays = 0;
        int applies = 0;
        int firsts = 0;
        for (int t = 0; t < N; t++) {
            flips += flip.sampleFlip(rng) ? 1 : 0;
            grays += gray.sampleGray(rng) ? 1 : 0;
            applies += apply.sampleApply(rng) ? 1 : 0;
            firsts += either.sampleFirst(rng) ? 1 : 0;
        }
        assertBinomial(flips, N, 0.5, "flip");
        assertBinomial(grays, N, 0.2, "grayscale");
        assertBinomial(applies, N, 0.8, "RandomApply");
        assertBinomial(firsts, N, 0.9, "RandomEither");
        assertFalse(new RandomHorizontalFlip(0).sampleFlip(rng));
        assertTrue(new RandomHorizontalFlip(1).sampleFlip(rng));
        assertThrows(IllegalArgumentException.class, () -> new RandomGrayscale(1.5));
    }

    @Test
    void randomApplyReturnsTheInputWhenNotApplied() {
        Image img = TestImages.image(8, 8, 11);
        Image marker = TestImages.image(8, 8, 12);
        RandomApply never = new RandomApply((i, r) -> marker, 0.0);
        RandomApply always = new RandomApply((i, r) -> marker, 1.0);
        assertEquals(img, never.apply(img, new SplittableRandom(1)));
        assertEquals(marker, always.apply(img, new SplittableRandom(1)));
    }

    @Test
    void colorJitterOrderIsAUniformPermutationAndFactorsInRange() {
        ColorJitter cj = new ColorJitter(0.4, 0.4, 0.4, 0.1);
        SplittableRandom rng = new SplittableRandom(13);
        Map<String, Integer> orders = new HashMap<>();
        for (int t = 0; t < 24_000; t++) {
            ColorJitter.Params p = cj.sample(rng);
            int[] sorted = p.order().clone();
            Arrays.sort(sorted);
            assertArrayEquals(new int[] {0, 1, 2, 3}, sorted);
            orders.merge(Arrays.toString(p.order()), 1, Integer::sum);
            for (int k = 0; k < 3; k++) {
                assertTrue(p.factor(k) >= 0.6 && p.factor(k) <= 1.4, "factor " + p.factor(k));
            }
            assertTrue(Math.abs(p.hue()) <= 0.1);
            assertEquals(4, ColorJitter.ops(p).size());
        }
        assertEquals(24, orders.size());
        for (int c : orders.values()) {
            assertBinomial(c, 24_000, 1.0 / 24, "order frequency");
        }
    }

    @Test
    void colorJitterClipsAtZeroAndDisablesZeroStrengths() {
        ColorJitter cj = new ColorJitter(1.5, 0, 0.4, 0);
        SplittableRandom rng = new SplittableRandom(14);
        double min = Double.MAX_VALUE;
        for (int t = 0; t < 2000; t++) {
            ColorJitter.Params p = cj.sample(rng);
            assertTrue(Double.isNaN(p.contrast()));
            assertTrue(Double.isNaN(p.hue()));
            assertTrue(p.brightness() >= 0 && p.brightness() <= 2.5);
            min = Math.min(min, p.brightness());
            assertEquals(2, ColorJitter.ops(p).size());
        }
        assertTrue(min < 0.05, "brightness range starts at max(0, 1 - 1.5) = 0");
        assertThrows(IllegalArgumentException.class, () -> new ColorJitter(0.4, 0.4, 0.4, 0.6));
    }

    @Test
    void blurSigmaIsUniformOnTheRange() {
        RandomGaussianBlur blur = new RandomGaussianBlur();
        SplittableRandom rng = new SplittableRandom(15);
        double sum = 0;
        for (int t = 0; t < N; t++) {
            double s = blur.sampleSigma(rng);
            assertTrue(s >= 0.1 && s <= 2.0);
            sum += s;
        }
        assertEquals(1.05, sum / N, 5 * 1.9 / Math.sqrt(12 * N));
    }

    @Test
    void gridShufflePermutationsAndProbability() {
        RandomGridShuffle g = new RandomGridShuffle(4, 0.1);
        SplittableRandom rng = new SplittableRandom(16);
        int applied = 0;
        int[] firstTile = new int[16];
        for (int t = 0; t < N; t++) {
            int[] perm = g.samplePermutation(rng);
            if (perm != null) {
                applied++;
                int[] sorted = perm.clone();
                Arrays.sort(sorted);
                for (int i = 0; i < 16; i++) {
                    assertEquals(i, sorted[i]);
                }
                firstTile[perm[0]]++;
            }
        }
        assertBinomial(applied, N, 0.1, "grid shuffle applied");
        for (int c : firstTile) {
            assertBinomial(c, applied, 1.0 / 16, "tile landing first");
        }
        assertNull(new RandomGridShuffle(4, 0).samplePermutation(rng));
        assertNotEquals(null, new RandomGridShuffle(4, 1).samplePermutation(rng));
    }

    @Test
    void composedTransformsNeverModifyTheirInput() {
        Image img = TestImages.image(32, 32, 17);
        Image copy = img.copy();
        RandomTransform t = new RandomResizedCrop(32, 0.2, 1).then(new RandomHorizontalFlip(0.5))
                .then(new RandomApply(new ColorJitter(0.4, 0.4, 0.4, 0.1), 0.8)).then(new RandomGrayscale(0.2))
                .then(new RandomApply(new RandomGaussianBlur(), 0.5));
        for (int s = 0; s < 50; s++) {
            t.apply(img, new SplittableRandom(s));
        }
        assertEquals(copy, img);
        List<Image> same = List.of(t.apply(img, new SplittableRandom(99)), t.apply(img, new SplittableRandom(99)));
        assertEquals(same.get(0), same.get(1));
    }

    private static void assertArrayEquals(int[] expected, int[] actual) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, actual);
    }
}
