package org.selfsup.augment.device;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.selfsup.util.UserException;

/** Host-side parameter sampling: torchvision's ranges and probabilities, determinism per image. */
class ParamSamplerTest {
    private static final int N = 4000;

    private static int[] range(int n) {
        return DeviceAugmenterTest.range(n);
    }

    /** |observed - p| within 5 binomial standard deviations. */
    private static void assertRate(double p, int count, int n, String what) {
        double sd = Math.sqrt(p * (1 - p) / n);
        assertEquals(p, count / (double) n, 5 * sd, what);
    }

    @Test
    void byolViewFollowsTorchvisionRanges() {
        BatchParams bp = new ParamSampler(DevicePlan.create("byol", 32)).sample(32, 32, 42, 0, range(N));
        ViewParams p = bp.views().get(0);
        int flips = 0;
        int jitters = 0;
        int grays = 0;
        int blurs = 0;
        for (int i = 0; i < N; i++) {
            double area = p.cropHeight[i] * p.cropWidth[i] / (32.0 * 32.0);
            // rounding of w and h to pixels widens the bounds slightly
            assertTrue(area >= 0.15 && area <= 1.0, "area " + area);
            double ratio = p.cropWidth[i] / (double) p.cropHeight[i];
            assertTrue(ratio > 0.6 && ratio < 1.6, "ratio " + ratio);
            assertTrue(p.top[i] >= 0 && p.top[i] + p.cropHeight[i] <= 32);
            assertTrue(p.left[i] >= 0 && p.left[i] + p.cropWidth[i] <= 32);
            flips += p.flip[i] ? 1 : 0;
            grays += p.gray[i] ? 1 : 0;
            if (p.jitter[i]) {
                jitters++;
                int[] sorted = p.order[i].clone();
                Arrays.sort(sorted);
                assertArrayEquals(new int[] {0, 1, 2, 3}, sorted, "order is a permutation");
                for (int k = 0; k < 3; k++) {
                    assertTrue(p.factors[i][k] >= 0.6 && p.factors[i][k] <= 1.4);
                }
                assertTrue(Math.abs(p.factors[i][3]) <= 0.1);
            }
            if (p.blurSigma[i] > 0) {
                blurs++;
                assertTrue(p.blurSigma[i] >= 0.1 && p.blurSigma[i] <= 2.0);
            }
        }
        assertRate(0.5, flips, N, "flip");
        assertRate(0.8, jitters, N, "jitter");
        assertRate(0.2, grays, N, "gray");
        assertRate(0.5, blurs, N, "blur");
    }

    @Test
    void paramsOfAnImageDependOnlyOnSeedEpochAndIndex() {
        ParamSampler s = new ParamSampler(DevicePlan.create("rsa", 32));
        BatchParams a = s.sample(32, 32, 9, 1, new int[] {5, 6, 7});
        BatchParams b = s.sample(32, 32, 9, 1, new int[] {7, 5});
        for (int v = 0; v < 4; v++) {
            ViewParams x = a.views().get(v);
            ViewParams y = b.views().get(v);
            assertEquals(x.blurSigma[2], y.blurSigma[0]);
            assertArrayEquals(x.factors[0], y.factors[1]);
            if (x.hasCrop()) {
                assertEquals(x.top[2], y.top[0]);
                assertEquals(x.cropWidth[0], y.cropWidth[1]);
            }
        }
    }

    @Test
    void unknownPlanIsAUserError() {
        UserException e = assertThrows(UserException.class, () -> DevicePlan.create("dssl-cifar", 32));
        assertTrue(e.getMessage().contains("dssl-cifar"));
    }
}
