package org.selfsup.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ShardTest {
    @Test
    void ranksTakeInterleavedPositionsPaddedFromTheStart() {
        int[] order = {9, 3, 7, 1, 5};
        assertArrayEquals(new int[] {9, 7, 5}, new Shard(0, 2).of(order));
        assertArrayEquals(new int[] {3, 1, 9}, new Shard(1, 2).of(order)); // padded with order[0]
        assertArrayEquals(new int[] {9, 1}, new Shard(0, 3).of(order));
        assertArrayEquals(new int[] {7, 9}, new Shard(2, 3).of(order)); // position 5 wraps to order[0]
    }

    @Test
    void localBatchesOfAllRanksFormTheGlobalBatch() {
        int n = 103;
        int ranks = 4;
        int local = 6;
        int[] order = IntStream.range(0, n).map(i -> (i * 37) % n).toArray();
        for (int k = 0; k < new Shard(0, ranks).size(n) / local; k++) {
            int[] got = new int[0];
            for (int r = 0; r < ranks; r++) {
                int[] mine = new Shard(r, ranks).of(order);
                got = IntStream.concat(Arrays.stream(got), Arrays.stream(Arrays.copyOfRange(mine, k * local,
                        (k + 1) * local))).toArray();
            }
            int[] want = Arrays.copyOfRange(order, k * local * ranks, (k + 1) * local * ranks);
            Arrays.sort(got);
            Arrays.sort(want);
            assertArrayEquals(want, got, "global batch " + k);
        }
    }

    @Test
    void wholeIsTheOrderItself() {
        int[] order = {2, 0, 1};
        assertSame(order, Shard.ALL.of(order));
        assertEquals(26, new Shard(1, 4).size(101));
    }
}
