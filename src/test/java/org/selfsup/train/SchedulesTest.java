package org.selfsup.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SchedulesTest {
    /**
     * methods.md §2.5 table: S = 195, K = 39000, value at the first step of epoch e (k = e·S + 1). The table
     * rounds the per-epoch approximation to 4 places, hence the 1e-4 tolerance.
     */
    @Test
    void rsaBetaMatchesSpecTable() {
        long s = 195;
        long kTotal = 200 * s;
        int[] epochs = {0, 25, 50, 75, 100, 125, 150, 175};
        double[] b04 = {0.4000, 0.3848, 0.3414, 0.2765, 0.2000, 0.1235, 0.0586, 0.0152};
        double[] b03 = {0.3000, 0.2886, 0.2561, 0.2074, 0.1500, 0.0926, 0.0439, 0.0114};
        for (int i = 0; i < epochs.length; i++) {
            long k = epochs[i] * s + 1;
            assertEquals(b04[i], Schedules.rsaBeta(0.4, k, kTotal), 1e-4, "beta0 0.4 epoch " + epochs[i]);
            assertEquals(b03[i], Schedules.rsaBeta(0.3, k, kTotal), 1e-4, "beta0 0.3 epoch " + epochs[i]);
        }
        double last = Schedules.rsaBeta(0.4, 199 * s + 1, kTotal);
        assertTrue(last > 0 && last < 1e-4, "epoch 199 ≈ 0.00002, got " + last);
    }

    @Test
    void cosineEpochStartsAtBaseAndNeverReachesZero() {
        assertEquals(0.1, Schedules.cosineEpoch(0.1, 0, 200), 1e-15);
        assertEquals(0.05, Schedules.cosineEpoch(0.1, 100, 200), 1e-15);
        double last = Schedules.cosineEpoch(0.1, 199, 200);
        assertEquals(0.1 * 0.5 * (1 + Math.cos(Math.PI * 199 / 200)), last, 1e-15);
        assertTrue(last > 0);
    }

    @Test
    void warmupCosinePerIteration() {
        // W = 10, E = 200, 625 iterations per epoch (ImageNet-1K at batch 2048), base 4.8
        assertEquals(0.0, Schedules.warmupCosineStep(4.8, 0, 0, 625, 10, 200), 0);
        assertEquals(4.8 * (312.0 / 625) / 10, Schedules.warmupCosineStep(4.8, 0, 312, 625, 10, 200), 1e-12);
        assertEquals(4.8 * 5.2 / 10, Schedules.warmupCosineStep(4.8, 5, 125, 625, 10, 200), 1e-12);
        assertEquals(4.8, Schedules.warmupCosineStep(4.8, 10, 0, 625, 10, 200), 1e-12);
        assertEquals(2.4, Schedules.warmupCosineStep(4.8, 105, 0, 625, 10, 200), 1e-12);
        // without warm-up it equals the per-epoch cosine at iteration 0
        assertEquals(Schedules.cosineEpoch(0.2, 37, 200), Schedules.warmupCosineStep(0.2, 37, 0, 494, 0, 200), 1e-15);
    }

    @Test
    void dsslEpochWarmupAndFixedLastEpoch() {
        double lr = 0.06;
        assertEquals(lr / 9, Schedules.dsslEpoch(lr, 1, 10, 800), 1e-15);
        assertEquals(lr * 5 / 9, Schedules.dsslEpoch(lr, 5, 10, 800), 1e-15);
        assertEquals(lr * 9 / 9, Schedules.dsslEpoch(lr, 9, 10, 800), 1e-15);
        assertEquals(lr, Schedules.dsslEpoch(lr, 10, 10, 800), 1e-15);
        // half-way through the cosine part: (epoch - 10) / 791 = 1/2
        assertEquals(lr * 0.5 * (1 + Math.cos(Math.PI * 395 / 791)), Schedules.dsslEpoch(lr, 405, 10, 800), 1e-15);
        assertEquals(lr / 2, Schedules.dsslEpoch(lr, 405, 10, 800), lr * Math.PI / 791);
        double last = Schedules.dsslEpoch(lr, 800, 10, 800);
        assertEquals(lr * 0.5 * (1 + Math.cos(Math.PI * 790 / 791)), last, 1e-15);
        assertTrue(last > 0, "the project fix: the last epoch never runs at lr 0");
    }

    @Test
    void emaTauRampsFrom099To1() {
        long kTotal = 39000;
        assertEquals(0.99, Schedules.emaTau(0.99, 0, kTotal), 1e-15);
        assertEquals(0.995, Schedules.emaTau(0.99, kTotal / 2, kTotal), 1e-12);
        assertEquals(1.0, Schedules.emaTau(0.99, kTotal, kTotal), 1e-15);
        assertEquals(1 - 0.01 * (1 + Math.cos(Math.PI / kTotal)) / 2, Schedules.emaTau(0.99, 1, kTotal), 1e-15);
        assertEquals(0.99, Schedules.emaTauConstant(0.99), 0);
    }
}
