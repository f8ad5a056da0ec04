package org.selfsup.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.selfsup.util.Futures;

/**
 * What both {@link BatchSource}s share:
 * <ul>
 *   <li>epoch-boundary prefetch: when the running epoch has no more than {@code lookahead} batches left
 *       to hand out, the next epoch's loader is opened (it starts preparing in its constructor) and kept
 *       until {@link #epoch} asks for that epoch from batch 0;</li>
 *   <li>optional staging: with a staging manager, the device arrays of batch k+1 (host-to-device copy,
 *       and on the device path the augmentation) are made on one background thread while step k runs,
 *       in a sub-manager that {@link BatchSource.Epoch#next} moves into the step's manager. Without it
 *       they are made on the training thread inside {@code next}.</li>
 * </ul>
 *
 * @param <L> the per-epoch loader type
 */
abstract class PrefetchingSource<L extends AutoCloseable> implements BatchSource {
    private final int epochs;
    private final int lookahead;
    private final NDManager stagingParent;
    private final ExecutorService stager;
    private L pending;
    private int pendingEpoch = -1;

    /**
     * @param epochs        number of epochs of the run (no loader is opened beyond the last)
     * @param lookahead     open the next epoch when this many batches or fewer remain
     * @param stagingParent manager on the model's device to stage the next batch's arrays under, on a
     *                      background thread; null = make them on the training thread
     */
    PrefetchingSource(int epochs, int lookahead, NDManager stagingParent) {
        this.epochs = epochs;
        this.lookahead = Math.max(1, lookahead);
        this.stagingParent = stagingParent;
        this.stager = stagingParent == null ? null : Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "batch-staging");
            t.setDaemon(true);
            return t;
        });
    }

    /** Opens (and starts prefetching) the loader of {@code epoch} from {@code startBatch}. */
    abstract L open(int epoch, int startBatch);

    /** Batches in the loader's epoch (including any skipped by its start index). */
    abstract int batchCount(L loader);

    /** The loader's next batch as device arrays attached to {@code manager}. */
    abstract Map<String, NDArray> take(L loader, NDManager manager);

    /** A batch made ahead: its arrays and the sub-manager holding them. */
    private record Staged(NDManager manager, Map<String, NDArray> views) {}

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
        int count = batchCount(loader);
        return new Epoch() {
            private long lastWaitNanos;
            private int nextIndex = startBatch;
            private Future<Staged> staged = stage(loader, startBatch < count);

            @Override
            public boolean hasNext() {
                return nextIndex < count;
            }

            @Override
            public Map<String, NDArray> next(NDManager step) {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException("epoch " + epoch + " has no more batches");
                }
                long t0 = System.nanoTime();
                Map<String, NDArray> views;
                if (staged == null) {
                    views = take(loader, step);
                } else {
                    Staged s = Futures.await(staged, "waiting for a batch");
                    staged = null;
                    s.views().values().forEach(a -> a.attach(step));
                    s.manager().close();
                    views = s.views();
                }
                nextIndex++;
                staged = stage(loader, nextIndex < count);
                // the step waited for all of this: the loader's host preparation, the upload and, on the
                // device path, the augmentation, unless a staged batch was already complete
                lastWaitNanos = System.nanoTime() - t0;
                if (pending == null && epoch + 1 < epochs && count - nextIndex <= lookahead) {
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
                try {
                    if (staged != null) {
                        // wait rather than interrupt: the stager may be inside a native call
                        try {
                            Staged s = staged.get();
                            s.manager().close();
                        } catch (ExecutionException e) {
                            // the batch is discarded anyway
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        staged = null;
                    }
                } finally {
                    closeQuietly(loader);
                }
            }
        };
    }

    /** Starts making the loader's next batch on the staging thread, or null (no staging or no batch). */
    private Future<Staged> stage(L loader, boolean more) {
        if (stager == null || !more) {
            return null;
        }
        return stager.submit(() -> {
            NDManager m = stagingParent.newSubManager();
            try {
                return new Staged(m, take(loader, m));
            } catch (RuntimeException | Error e) {
                m.close();
                throw e;
            }
        });
    }

    @Override
    public void close() {
        try {
            closeQuietly(pending);
            pending = null;
        } finally {
            if (stager != null) {
                stager.shutdown();
            }
        }
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
