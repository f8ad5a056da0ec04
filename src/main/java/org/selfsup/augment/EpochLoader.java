package org.selfsup.augment;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.selfsup.data.Shard;
import org.selfsup.util.Futures;
import org.selfsup.util.Seeds;

/**
 * The batches of one epoch, shuffled and assembled ahead of time on a background thread.
 *
 * <p>The order of the images is the store's {@link org.selfsup.data.ImageSet#epochOrder}: a permutation
 * drawn from {@code Seeds.stream(seed, Seeds.SHUFFLE, epoch)} (Fisher–Yates; tar shards: WebDataset's
 * shard-then-buffer shuffle), so it depends only on the run seed and the epoch. Training drops the last
 * partial batch (torch {@code drop_last=True}); evaluation can keep it. A loader can start at any
 * batch index to resume mid-epoch: batch {@code k} always holds the same images and views.
 *
 * <p>Prefetch: up to {@code prefetch} batches are assembled ahead on one background thread (which
 * itself drives the assembler's thread pool), so the consumer normally finds the next batch ready.
 * The time the consumer spent blocked in {@link #next()} is reported by {@link #waitNanos()} and
 * {@link #lastWaitNanos()} for the metrics. With {@code prefetch = 0} batches are made in
 * {@code next()} on the calling thread (and all of that time counts as waiting).
 *
 * <p>Prefetching starts in the constructor: to hide the epoch boundary too, create the next epoch's
 * loader before the current one is drained (loaders are independent; each owns one daemon thread).
 *
 * <p>Single use, single consumer: {@link #iterator()} returns this loader. Close it (try-with-resources)
 * to stop the background thread; closing does not close the assembler.
 */
public final class EpochLoader implements Iterable<ViewBatch>, Iterator<ViewBatch>, AutoCloseable {
    private final BatchAssembler assembler;
    private final int epoch;
    private final int batchSize;
    private final int[] order;
    private final int batchCount;
    private final int prefetch;
    private final ExecutorService producer;
    private final ArrayDeque<Future<ViewBatch>> ahead = new ArrayDeque<>();
    private int nextToSubmit;
    private int nextToReturn;
    private long waitNanos;
    private long lastWaitNanos;
    private boolean closed;

    /**
     * @param assembler  makes the batches (its store, plan and seed)
     * @param epoch      epoch number (selects the shuffle and the augmentation streams)
     * @param batchSize  images per batch
     * @param dropLast   drop the last partial batch (training) or keep it (evaluation)
     * @param startBatch first batch to produce (0 for a full epoch; resume uses the next unseen batch)
     * @param prefetch   batches assembled ahead of the consumer (0 = none)
     */
    public EpochLoader(BatchAssembler assembler, int epoch, int batchSize, boolean dropLast, int startBatch, int prefetch) {
        this(assembler, epoch, assembler.store().epochOrder(assembler.seed(), epoch), batchSize, dropLast,
                startBatch, prefetch);
    }

    /**
     * A training loader (shuffled, drop-last) over this rank's {@link Shard} of the epoch's permutation:
     * data-parallel rank {@code r} of {@code n}, with {@code batchSize} the per-rank batch.
     */
    public EpochLoader(BatchAssembler assembler, int epoch, Shard shard, int batchSize, int startBatch, int prefetch) {
        this(assembler, epoch, shard.of(assembler.store().epochOrder(assembler.seed(), epoch)), batchSize, true,
                startBatch, prefetch);
    }

    private EpochLoader(BatchAssembler assembler, int epoch, int[] order, int batchSize, boolean dropLast,
                        int startBatch, int prefetch) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1: " + batchSize);
        }
        if (prefetch < 0) {
            throw new IllegalArgumentException("prefetch must be >= 0: " + prefetch);
        }
        this.assembler = assembler;
        this.epoch = epoch;
        this.batchSize = batchSize;
        this.order = order;
        this.batchCount = batchCount(order.length, batchSize, dropLast);
        if (startBatch < 0 || startBatch > batchCount) {
            throw new IllegalArgumentException("start batch " + startBatch + " outside 0.." + batchCount);
        }
        this.prefetch = prefetch;
        this.nextToSubmit = startBatch;
        this.nextToReturn = startBatch;
        this.producer = prefetch > 0 ? Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "prefetch-epoch-" + epoch);
            t.setDaemon(true);
            return t;
        }) : null;
        fill();
    }

    /** A training loader for a whole epoch: shuffled, drop-last, {@code prefetch} batches ahead. */
    public static EpochLoader training(BatchAssembler assembler, int epoch, int batchSize, int prefetch) {
        return new EpochLoader(assembler, epoch, batchSize, true, 0, prefetch);
    }

    /**
     * An evaluation loader: every image once, in store order (no shuffle), the last partial batch kept,
     * views drawn for epoch 0 (deterministic plans such as {@code eval} ignore the stream anyway).
     */
    public static EpochLoader inOrder(BatchAssembler assembler, int batchSize, int prefetch) {
        int[] order = new int[assembler.store().size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        return new EpochLoader(assembler, 0, order, batchSize, false, 0, prefetch);
    }

    /** Number of batches of {@code n} images per epoch. */
    public static int batchCount(int n, int batchSize, boolean dropLast) {
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /** The image order of {@code epoch}: a permutation of {@code 0..n-1} from the shuffle stream. */
    public static int[] shuffle(long seed, int epoch, int n) {
        return Seeds.permutation(n, Seeds.stream(seed, Seeds.SHUFFLE, epoch));
    }

    /** Number of batches in this epoch (including any skipped by the start index). */
    public int batchCount() { return batchCount; }

    public int epoch() { return epoch; }

    /** The store indices of batch {@code k}. */
    public int[] indicesOf(int k) {
        int from = k * batchSize;
        return Arrays.copyOfRange(order, from, Math.min(order.length, from + batchSize));
    }

    /** Total time the consumer has waited in {@link #next()}, in nanoseconds. */
    public long waitNanos() { return waitNanos; }

    /** Time the consumer waited for the most recent batch, in nanoseconds. */
    public long lastWaitNanos() { return lastWaitNanos; }

    @Override
    public Iterator<ViewBatch> iterator() {
        return this;
    }

    @Override
    public boolean hasNext() {
        return !closed && nextToReturn < batchCount;
    }

    @Override
    public ViewBatch next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        long t0 = System.nanoTime();
        ViewBatch batch;
        if (producer == null) {
            batch = make(nextToReturn);
            nextToSubmit++;
        } else {
            batch = Futures.await(ahead.poll(), "waiting for a batch");
        }
        lastWaitNanos = System.nanoTime() - t0;
        waitNanos += lastWaitNanos;
        nextToReturn++;
        fill();
        return batch;
    }

    @Override
    public void close() {
        closed = true;
        if (producer != null) {
            ahead.forEach(f -> f.cancel(true));
            ahead.clear();
            producer.shutdownNow();
        }
    }

    private void fill() {
        if (producer == null) {
            return;
        }
        while (ahead.size() < prefetch && nextToSubmit < batchCount) {
            int k = nextToSubmit++;
            ahead.add(producer.submit(() -> make(k)));
        }
    }

    private ViewBatch make(int k) {
        return assembler.assemble(epoch, k, indicesOf(k));
    }
}
