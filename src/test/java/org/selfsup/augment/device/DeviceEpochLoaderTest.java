package org.selfsup.augment.device;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.selfsup.augment.EpochLoader;
import org.selfsup.data.ImageStore;
import org.selfsup.data.Normalization;

/** The device epoch loader: the CPU loader's batch composition, resume, prefetched host preparation. */
class DeviceEpochLoaderTest {
    private static NDManager manager;

    @BeforeAll
    static void start() {
        DeviceAugmenterTest.singleThreadedEngine();
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    @Test
    void batchesMatchTheCpuShuffleAndDirectAugmentation() {
        ImageStore store = DeviceAugmenterTest.randomStore(42, 16, 16, 1, 9);
        long seed = 13;
        int epoch = 2;
        int[] order = EpochLoader.shuffle(seed, epoch, store.size());
        try (DeviceAugmenter aug = new DeviceAugmenter(DevicePlan.create("rsa", 16), Normalization.FASHION_MNIST, manager, true);
             DeviceEpochLoader loader = new DeviceEpochLoader(aug, store, seed, epoch, 8, true, 1, 2)) {
            assertEquals(5, loader.batchCount()); // 42 / 8, last partial batch dropped
            int k = 1;
            while (loader.hasNext()) {
                int[] expected = Arrays.copyOfRange(order, k * 8, k * 8 + 8);
                assertArrayEquals(expected, loader.indicesOf(k));
                try (NDManager step = manager.newSubManager()) {
                    DeviceViews views = loader.next(step);
                    assertTrue(loader.lastWaitNanos() >= 0);
                    DeviceViews direct = aug.augment(store, expected, seed, epoch, step);
                    for (String v : views.names()) {
                        assertArrayEquals(direct.view(v).toFloatArray(), views.view(v).toFloatArray(), "batch " + k + " " + v);
                    }
                }
                k++;
            }
            assertEquals(5, k);
            assertFalse(loader.hasNext());
            try (NDManager step = manager.newSubManager()) {
                assertThrows(NoSuchElementException.class, () -> loader.next(step));
            }
        }
    }
}
