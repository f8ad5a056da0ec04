package org.selfsup.method;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RsaBetaTest {
    /** methods.md §2.5 table: {epoch, beta (beta0 0.4), beta (beta0 0.3)}, CIFAR S = 195, K = 39000. */
    static final double[][] TABLE = {
        {0, 0.4000, 0.3000}, {25, 0.3848, 0.2886}, {50, 0.3414, 0.2561}, {75, 0.2765, 0.2074},
        {100, 0.2000, 0.1500}, {125, 0.1235, 0.0926}, {150, 0.0586, 0.0439}, {175, 0.0152, 0.0114},
    };

    @Test
    void matchesTheSpecTable() {
        for (double[] row : TABLE) {
            // The table is the per-epoch view beta0 (1 + cos(pi e / E)) / 2, rounded to 4 places, i.e. k = e S ...
            long k = (long) row[0] * 195;
            assertEquals(row[1], RsaBeta.value(0.4, k, 39000), 5e-5, "beta0 0.4 epoch " + row[0]);
            assertEquals(row[2], RsaBeta.value(0.3, k, 39000), 5e-5, "beta0 0.3 epoch " + row[0]);
            // ... and the first step of the epoch (k = e S + 1) is within one step's change of it.
            assertEquals(row[1], RsaBeta.value(0.4, k + 1, 39000), 1e-4, "beta0 0.4 epoch " + row[0] + " k+1");
            assertEquals(row[2], RsaBeta.value(0.3, k + 1, 39000), 1e-4, "beta0 0.3 epoch " + row[0] + " k+1");
        }
        assertEquals(0.00002, RsaBeta.value(0.4, 199 * 195 + 1, 39000), 5e-6);
        assertEquals(0.2000, RsaBeta.value(0.4, 100 * 195 + 1, 39000), 5e-5);
        assertEquals(0.1500, RsaBeta.value(0.3, 100 * 195 + 1, 39000), 5e-5);
    }

    @Test
    void startsAtBeta0AndEndsAtZero() {
        assertEquals(0.4, RsaBeta.value(0.4, 0, 100), 1e-12);
        assertEquals(0.0, RsaBeta.value(0.4, 100, 100), 1e-12);
        assertEquals(0.2, RsaBeta.value(0.4, 50, 100), 1e-12);
    }
}
