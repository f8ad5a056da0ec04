package org.selfsup.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.selfsup.augment.BatchAssembler;
import org.selfsup.augment.EpochLoader;
import org.selfsup.augment.ViewBatch;
import org.selfsup.augment.plans.PlanOptions;
import org.selfsup.augment.plans.ViewPlans;
import org.selfsup.data.Dataset;

/**
 * The CPU batch source hands out exactly the batches a fresh {@link EpochLoader} makes, across the
 * epoch boundary (where it prefetches the next epoch) and when an epoch is resumed mid-way.
 */
class BatchSourceTest {
    @BeforeAll
    static void threads() {
        TinyRuns.singleThreaded();
    }

    @Test
    void batchesMatchFreshLoadersAcrossEpochs() {
        check(false);
    }

    /** With the next batch's views copied to the device on the staging thread. */
    @Test
    void stagedBatchesMatchFreshLoadersAcrossEpochs() {
        check(true);
    }

    /** A staged source closed mid-epoch (as when training stops) releases the staged batch's arrays. */
    @Test
    void closingMidEpochReleasesTheStagedBatch() {
        Dataset ds = TinyRuns.data(24);
        try (NDManager manager = NDManager.newBaseManager(ai.djl.Device.cpu());
             BatchAssembler assembler = new BatchAssembler(ds.pretrain(),
                     ViewPlans.create("byol", 16, PlanOptions.defaults()), ds.normalization(), 1, 7)) {
            int before = manager.getManagedArrays().size();
            try (CpuBatchSource source = new CpuBatchSource(assembler, List.of("v1", "v2"), 8, 2, 3, manager);
                 BatchSource.Epoch e = source.epoch(0, 0);
                 NDManager step = manager.newSubManager()) {
                e.next(step);
            }
            assertEquals(before, manager.getManagedArrays().size());
        }
    }

    private void check(boolean staged) {
        Dataset ds = TinyRuns.data(24); // 3 batches of 8 per epoch
        List<String> views = List.of("v1", "v2");
        try (NDManager manager = NDManager.newBaseManager(ai.djl.Device.cpu());
             BatchAssembler assembler = new BatchAssembler(ds.pretrain(),
                     ViewPlans.create("byol", 16, PlanOptions.defaults()), ds.normalization(), 1, 7);
             CpuBatchSource source = new CpuBatchSource(assembler, views, 8, 2, 3, staged ? manager : null)) {
            int[][] starts = {{0, 0}, {1, 0}, {2, 1}};
            for (int[] s : starts) {
                int epoch = s[0];
                try (BatchSource.Epoch e = source.epoch(epoch, s[1]);
                     EpochLoader reference = new EpochLoader(assembler, epoch, 8, true, s[1], 0)) {
                    int n = 0;
                    while (e.hasNext()) {
                        ViewBatch want = reference.next();
                        try (NDManager step = manager.newSubManager()) {
                            Map<String, NDArray> got = e.next(step);
                            for (String v : views) {
                                assertArrayEquals(want.view(v), got.get(v).toFloatArray(), "epoch " + epoch + " " + v);
                            }
                        }
                        n++;
                    }
                    assertFalse(reference.hasNext());
                    assertEquals(3 - s[1], n);
                }
            }
        }
    }
}
