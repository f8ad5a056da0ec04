package org.selfsup.augment.device;

import ai.djl.ndarray.NDManager;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.selfsup.augment.EpochLoader;
import org.selfsup.data.ImageStore;
import org.selfsup.data.Shard;
import org.selfsup.util.Futures;

/**
 * One epoch of device-augmented batches ({@code augment-on: device}), the counterpart of
 * {@link EpochLoader}: the same shuffle ({@link EpochLoader#shuffle}) and batch composition, so a batch
 * holds the same images on either path. The host half of upcoming batches (packing pixels, sampling
 * parameters) runs {@code prefetch} batches ahead on one background thread; {@link #next} uploads and
 * augments on the caller's thread, into the caller's per-step manager.
 *
 * <pre>{@code
 * try (DeviceEpochLoader loader = new DeviceEpochLoader(aug, store, seed, epoch, 256, true, 0, 2)) {
 *     while (loader.hasNext()) {
 *         try (NDManager step = manager.newSubManager()) {
 *             DeviceViews views = loader.next(step);
 *             ... views.view("w1") ...
 *         }
 *     }
 * }
 * }</pre>
 */
public final class DeviceEpochLoader implements AutoCloseable {
    private final DeviceAugmenter augmenter;
    private final ImageStore store;
    private final long seed;
    private final int epoch;
    private final int batchSize;
    private final int[] order;
    private final int batchCount;
    private final int prefetch;
    private final ExecutorService executor;
    private final ArrayDeque<Future<HostBatch>> ahead = new ArrayDeque<>();
    private int nextToSubmit;
    private int nextToReturn;
    private long waitNanos;
    private long lastWaitNanos;

    /**
     * @param augmenter  the device augmenter (its plan decides the views)
     * @param store      source images
     * @param seed       run seed
     * @param epoch      epoch (shuffle and augmentation streams)
     * @param batchSize  images per batch
     * @param dropLast   drop the last partial batch (training)
     * @param startBatch first batch to produce (resume mid-epoch)
     * @param prefetch   batches prepared ahead on the background thread, at least 1
     */
    public DeviceEpochLoader(DeviceAugmenter augmenter, ImageStore store, long seed, int epoch, int batchSize,
                             boolean dropLast, int startBatch, int prefetch) {
        this(augmenter, store, seed, epoch, Shard.ALL, batchSize, dropLast, startBatch, prefetch);
    }

    /**
     * As above over this rank's {@link Shard} of the epoch's permutation (data-parallel training;
     * {@code batchSize} is then the per-rank batch).
     */
    public DeviceEpochLoader(DeviceAugmenter augmenter, ImageStore store, long seed, int epoch, Shard shard,
                             int batchSize, boolean dropLast, int startBatch, int prefetch) {
        if (batchSize < 1 || prefetch < 1 || startBatch < 0) {
            throw new IllegalArgumentException("need batchSize >= 1, prefetch >= 1, startBatch >= 0");
        }
        this.augmenter = augmenter;
        this.store = store;
        this.seed = seed;
        this.epoch = epoch;
        this.batchSize = batchSize;
        this.order = shard.of(store.epochOrder(seed, epoch));
        this.batchCount = EpochLoader.batchCount(order.length, batchSize, dropLast);
        this.prefetch = prefetch;
        this.nextToSubmit = Math.min(startBatch, batchCount);
        this.nextToReturn = nextToSubmit;
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "device-batch-prep");
            t.setDaemon(true);
            return t;
        });
        fill();
    }

    /** Number of batches in the epoch (including any skipped by the start index). */
    public int batchCount() {
        return batchCount;
    }

    /** Store indices of batch {@code k}. */
    public int[] indicesOf(int k) {
        int from = k * batchSize;
        int to = Math.min(from + batchSize, order.length);
        int[] idx = new int[to - from];
        System.arraycopy(order, from, idx, 0, idx.length);
        return idx;
    }

    public boolean hasNext() {
        return nextToReturn < batchCount;
    }

    /**
     * The views of the next batch, attached to {@code batchManager}.
     *
     * @throws java.util.NoSuchElementException after the last batch
     */
    public DeviceViews next(NDManager batchManager) {
        if (!hasNext()) {
            throw new java.util.NoSuchElementException("epoch " + epoch + " has no more batches");
        }
        long t0 = System.nanoTime();
        HostBatch host = Futures.await(ahead.removeFirst(), "preparing a batch");
        lastWaitNanos = System.nanoTime() - t0;
        waitNanos += lastWaitNanos;
        nextToReturn++;
        fill();
        return augmenter.augment(host, batchManager);
    }

    /** Total time {@link #next} waited for host preparation. */
    public long waitNanos() {
        return waitNanos;
    }

    /** Time the last {@link #next} waited for host preparation. */
    public long lastWaitNanos() {
        return lastWaitNanos;
    }

    private void fill() {
        while (nextToSubmit < batchCount && ahead.size() < prefetch) {
            int[] idx = indicesOf(nextToSubmit++);
            ahead.addLast(executor.submit(() -> augmenter.prepare(store, idx, seed, epoch)));
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
