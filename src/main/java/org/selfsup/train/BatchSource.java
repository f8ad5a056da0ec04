package org.selfsup.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;

/**
 * Where the training loop gets its view batches, epoch after epoch: CPU assembly
 * ({@link CpuBatchSource}) or batched augmentation on the device ({@link DeviceBatchSource}).
 *
 * <p>Implementations prefetch across the epoch boundary: once the current epoch has handed out its
 * last batches, the next epoch's loader is already preparing its first ones, so the first step of an
 * epoch does not wait for a cold pipeline. Batch {@code b} of epoch {@code e} is a pure function of
 * (seed, e, b), so prefetching never changes what is trained on.
 */
public interface BatchSource extends AutoCloseable {
    /**
     * The batches of {@code epoch}, starting at {@code startBatch}. Close the returned object at the
     * end of the epoch; the source keeps any next-epoch prefetch alive until it is itself closed.
     */
    Epoch epoch(int epoch, int startBatch);

    /** Stops every background preparation. */
    @Override
    void close();

    /** One epoch's batches. */
    interface Epoch extends AutoCloseable {
        boolean hasNext();

        /**
         * The next batch's views on the device, attached to {@code step} (the step's sub-manager).
         *
         * @throws java.util.NoSuchElementException after the last batch
         */
        Map<String, NDArray> next(NDManager step);

        /** Nanoseconds the last {@link #next} waited for data (host preparation and upload). */
        long lastWaitNanos();

        @Override
        void close();
    }
}
