package org.selfsup.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.selfsup.augment.plans.ViewPlans;
import org.selfsup.data.ImageStore;
import org.selfsup.data.Normalization;

/** Shuffling, drop-last, resume at a batch index and prefetch of the epoch loader. */
class EpochLoaderTest {
    private static final ImageStore STORE = TestImages.store(23, 32, 32, 3, 9);

    @Test
    void shuffleIsASeededPermutationPerEpoch() {
        int[] a = EpochLoader.shuffle(1, 0, 100);
        int[] sorted = a.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < 100; i++) {
            assertEquals(i, sorted[i]);
        }
        assertArrayEquals(a, EpochLoader.shuffle(1, 0, 100));
        assertFalse(Arrays.equals(a, EpochLoader.shuffle(1, 1, 100)));
        assertFalse(Arrays.equals(a, EpochLoader.shuffle(2, 0, 100)));
    }

    @Test
    void dropLastAndKeepLast() {
        assertEquals(4, EpochLoader.batchCount(23, 5, true));
        assertEquals(5, EpochLoader.batchCount(23, 5, false));
        try (BatchAssembler asm = assembler(2);
             EpochLoader keep = new EpochLoader(asm, 0, 5, false, 0, 2)) {
            List<ViewBatch> all = drain(keep);
            assertEquals(5, all.size());
            assertEquals(3, all.get(4).batchSize());
            int[] seen = all.stream().flatMapToInt(b -> Arrays.stream(b.indices())).sorted().toArray();
            assertEquals(23, seen.length);
            for (int i = 0; i < 23; i++) {
                assertEquals(i, seen[i]);
            }
            assertThrows(NoSuchElementException.class, keep::next);
        }
        try (BatchAssembler asm = assembler(2); EpochLoader drop = EpochLoader.training(asm, 0, 5, 2)) {
            List<ViewBatch> all = drain(drop);
            assertEquals(4, all.size());
            assertTrue(all.stream().allMatch(b -> b.batchSize() == 5));
        }
    }

    @Test
    void resumingAtABatchIndexGivesTheSameBatches() {
        try (BatchAssembler asm = assembler(2)) {
            List<ViewBatch> full;
            try (EpochLoader l = new EpochLoader(asm, 3, 4, true, 0, 2)) {
                full = drain(l);
            }
            List<ViewBatch> resumed;
            try (EpochLoader l = new EpochLoader(asm, 3, 4, true, 3, 1)) {
                resumed = drain(l);
            }
            assertEquals(full.size() - 3, resumed.size());
            for (int k = 0; k < resumed.size(); k++) {
                assertSame(full.get(k + 3), resumed.get(k));
                assertEquals(k + 3, resumed.get(k).batchIndex());
            }
        }
    }

    @Test
    void prefetchAndThreadCountDoNotChangeTheBatches() {
        List<ViewBatch> sync;
        List<ViewBatch> ahead;
        try (BatchAssembler asm = assembler(1); EpochLoader l = new EpochLoader(asm, 1, 6, true, 0, 0)) {
            sync = drain(l);
            assertTrue(l.waitNanos() > 0, "synchronous assembly counts as waiting");
        }
        try (BatchAssembler asm = assembler(3); EpochLoader l = new EpochLoader(asm, 1, 6, true, 0, 3)) {
            ahead = drain(l);
            assertTrue(l.waitNanos() >= l.lastWaitNanos() && l.lastWaitNanos() >= 0);
        }
        assertEquals(sync.size(), ahead.size());
        for (int k = 0; k < sync.size(); k++) {
            assertSame(sync.get(k), ahead.get(k));
        }
    }

    @Test
    void closingEarlyStopsTheLoader() {
        try (BatchAssembler asm = assembler(2)) {
            EpochLoader l = new EpochLoader(asm, 0, 2, true, 0, 4);
            assertTrue(l.hasNext());
            l.next();
            l.close();
            assertFalse(l.hasNext());
        }
    }

    private static BatchAssembler assembler(int threads) {
        return new BatchAssembler(STORE, ViewPlans.create("rsa", 32, null), Normalization.CIFAR, threads, 5);
    }

    private static List<ViewBatch> drain(EpochLoader loader) {
        List<ViewBatch> out = new ArrayList<>();
        for (ViewBatch b : loader) {
            out.add(b);
        }
        return out;
    }

    private static void assertSame(ViewBatch a, ViewBatch b) {
        assertArrayEquals(a.indices(), b.indices());
        assertArrayEquals(a.labels(), b.labels());
        for (int v = 0; v < a.views().size(); v++) {
            assertArrayEquals(a.views().get(v), b.views().get(v));
        }
    }
}
