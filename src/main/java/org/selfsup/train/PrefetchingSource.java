package org.selfsup.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;

/**
 * The epoch-boundary prefetch shared by both {@link BatchSource}s: when the running epoch has no more
 * than {@code lookahead} batches left to hand out, the next epoch's loader is opened (it starts
 * preparing in its constructor) and kept until {@link #epoch} asks for that epoch from batch 0.
 *
 * @param <L> the per-epoch loader type
 */
abstract class PrefetchingSource<L extends AutoCloseable> implements BatchSource {
    private final int epochs;
    private final int lookahead;
    private L pending;
    private int pendingEpoch = -1;

    /**
     * @param epochs    number of epochs of the run (no loader is opened beyond the last)
     * @param lookahead open the next epoch when this many batches or fewer remain
     */
    PrefetchingSource(int epochs, int lookahead) {
        this.epochs = epochs;
        this.lookahead = Math.max(1, lookahead);
    }

    /** Opens (and starts prefetching) the loader of {@code epoch} from {@code startBatch}. */
    abstract L open(int epoch, int startBatch);

    /** Whether the loader has another batch. */
    abstract boolean hasNext(L loader);

    /** Batches in the loader's epoch (including any skipped by its start index). */
    abstract int batchCount(L loader);

    /** The loader's next batch as device arrays in {@code step}. */
    abstract Map<String, NDArray> take(L loader, NDManager step);

    @Override
    public final Epoch epoch(int epoch, int startBatch) {
        L loader;
        if (pending != null && pendingEpoch == epoch && startBatch == 0) {
            loader = pending;
        } else {
            closeQuietly(pending);
            loader = open(epoch, startBatch);
        }
        pending = null;
        pendingEpoch = -1;
        return new Epoch() {
            private long lastWaitNanos;
            private int nextIndex = startBatch;

            @Override
            public boolean hasNext() {
                return PrefetchingSource.this.hasNext(loader);
            }

            @Override
            public Map<String, NDArray> next(NDManager step) {
                long t0 = System.nanoTime();
                Map<String, NDArray> views = take(loader, step);
                nextIndex++;
                // all of take() is time the step waits: the loader's queue wait for host preparation, the
                // upload, and on the device path the augmentation, which runs on this thread
                lastWaitNanos = System.nanoTime() - t0;
                if (pending == null && epoch + 1 < epochs && batchCount(loader) - nextIndex <= lookahead) {
                    pending = open(epoch + 1, 0);
                    pendingEpoch = epoch + 1;
                }
                return views;
            }

            @Override
            public long lastWaitNanos() {
                return lastWaitNanos;
            }

            @Override
            public void close() {
                closeQuietly(loader);
            }
        };
    }

    @Override
    public void close() {
        closeQuietly(pending);
        pending = null;
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing a batch loader failed", e);
        }
    }
}
