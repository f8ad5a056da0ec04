package org.selfsup.augment;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.selfsup.data.Image;
import org.selfsup.data.ImageSet;
import org.selfsup.data.Normalization;
import org.selfsup.util.Seeds;

/**
 * Makes normalised float CHW batches of all views of a {@link ViewPlan} on several CPU threads.
 *
 * <p>The views of image {@code i} in epoch {@code e} come only from
 * {@code Seeds.stream(seed, Seeds.AUGMENT, e, i)}, so a batch is bit-identical whatever the thread
 * count, the batch composition or the order in which batches are made. Images come as RGB
 * ({@link ImageSet#rgb}: grey repeated, streamed files decoded at full resolution on these threads)
 * before the plan runs.
 *
 * <p>Threads: a fixed pool of {@code threads - 1} workers plus the calling thread pull images from a
 * shared counter (dynamic load balancing; no thread is created per batch). Normalisation uses a
 * per-channel 256-entry lookup table computed with the same float32 arithmetic as torchvision
 * ({@code (v / 255 - mean) / std}), so values are bit-identical to {@code ToTensor + Normalize}.
 *
 * <p>Buffers: a consumer that is done with a batch (e.g. after copying it to the device) may hand it
 * back with {@link #recycle}; later batches then reuse its arrays instead of allocating new ones (at
 * ImageNet geometry a batch of 64 with four views is 150 MB of floats, whose allocation, zeroing and
 * collection otherwise cost several percent of the throughput). Every value of a reused array is
 * overwritten.
 *
 * <p>Thread-safe: several callers may assemble batches concurrently. Close to stop the workers.
 */
public final class BatchAssembler implements AutoCloseable {
    private static final AtomicInteger POOL_IDS = new AtomicInteger();

    private final ImageSet store;
    private final ViewPlan plan;
    private final int threads;
    private final long seed;
    private final float[][] lut;
    private final ExecutorService pool;
    /** Arrays handed back by {@link #recycle}, at most {@link #MAX_SPARE_BATCHES} batches' worth. */
    private final ConcurrentLinkedQueue<float[]> spare = new ConcurrentLinkedQueue<>();
    private final AtomicInteger spareCount = new AtomicInteger();
    /** Spare batches kept: enough for the prefetched batches in flight, bounded so memory is too. */
    private static final int MAX_SPARE_BATCHES = 4;

    /**
     * @param store   source images
     * @param plan    the view recipe
     * @param norm    per-channel mean and std applied after scaling to [0, 1]
     * @param threads number of threads working on a batch (including the caller), at least 1
     * @param seed    run seed
     */
    public BatchAssembler(ImageSet store, ViewPlan plan, Normalization norm, int threads, long seed) {
        this.store = Objects.requireNonNull(store);
        this.plan = Objects.requireNonNull(plan);
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1: " + threads);
        }
        this.threads = threads;
        this.seed = seed;
        this.lut = normalisationTable(norm);
        this.pool = threads > 1 ? Executors.newFixedThreadPool(threads - 1, daemonThreads()) : null;
    }

    public ImageSet store() { return store; }
    public ViewPlan plan() { return plan; }
    public int threads() { return threads; }
    public long seed() { return seed; }

    /** The views of the images at {@code indices} for {@code epoch} (batch index -1). */
    public ViewBatch assemble(int epoch, int[] indices) {
        return assemble(epoch, -1, indices);
    }

    /** The views of the images at {@code indices} for {@code epoch}, tagged with {@code batchIndex}. */
    public ViewBatch assemble(int epoch, int batchIndex, int[] indices) {
        int b = indices.length;
        int s = plan.size();
        int nViews = plan.viewNames().size();
        List<float[]> views = new ArrayList<>(nViews);
        for (int v = 0; v < nViews; v++) {
            views.add(viewArray(b * 3 * s * s));
        }
        int[] labels = new int[b];
        AtomicInteger next = new AtomicInteger();
        Runnable work = () -> {
            int k;
            // stop early when interrupted (a loader closed mid-batch); the caller then reports the interrupt
            while (!Thread.currentThread().isInterrupted() && (k = next.getAndIncrement()) < b) {
                int i = indices[k];
                labels[k] = store.label(i);
                List<Image> out = plan.views(store.rgb(i), Seeds.stream(seed, Seeds.AUGMENT, epoch, i));
                for (int v = 0; v < nViews; v++) {
                    writeNormalised(out.get(v), views.get(v), k, s);
                }
            }
        };
        runOnAllThreads(work, Math.min(threads, Math.max(1, b)));
        return new ViewBatch(epoch, batchIndex, indices.clone(), labels, s, plan.viewNames(), views);
    }

    /**
     * Hands a batch's arrays back for reuse by later batches. The caller must not read {@code batch}'s
     * views afterwards. Arrays beyond a few batches' worth are left to the garbage collector.
     */
    public void recycle(ViewBatch batch) {
        int limit = MAX_SPARE_BATCHES * plan.viewNames().size();
        for (float[] a : batch.views()) {
            if (spareCount.incrementAndGet() <= limit) {
                spare.add(a);
            } else {
                spareCount.decrementAndGet();
            }
        }
    }

    /** A spare array of this length, or a new one (spares of another length, from a short last batch, are dropped). */
    private float[] viewArray(int length) {
        float[] a;
        while ((a = spare.poll()) != null) {
            spareCount.decrementAndGet();
            if (a.length == length) {
                return a;
            }
        }
        return new float[length];
    }

    /** The normalised float value of byte value {@code v} in channel {@code c}. */
    public float normalised(int c, int v) {
        return lut[c][v];
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    private void runOnAllThreads(Runnable work, int n) {
        List<Future<?>> futures = new ArrayList<>(n - 1);
        for (int t = 1; t < n; t++) {
            futures.add(pool.submit(work));
        }
        Throwable failure = null;
        try {
            work.run();
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        if (Thread.currentThread().isInterrupted()) {
            futures.forEach(x -> x.cancel(true));
            throw new IllegalStateException("interrupted while assembling a batch");
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                futures.forEach(x -> x.cancel(true));
                throw new IllegalStateException("interrupted while assembling a batch", e);
            }
        }
        if (failure instanceof RuntimeException re) {
            throw re;
        }
        if (failure instanceof Error err) {
            throw err;
        }
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }

    /** Writes {@code img} (uint8 RGB HWC, S x S) as normalised CHW into sample {@code k} of {@code out}. */
    private void writeNormalised(Image img, float[] out, int k, int s) {
        if (img.height() != s || img.width() != s || img.channels() != 3) {
            throw new IllegalStateException(plan.name() + " produced a " + img + " view, expected " + s + "x" + s + "x3");
        }
        byte[] px = img.data();
        int plane = s * s;
        int base = k * 3 * plane;
        float[] l0 = lut[0];
        float[] l1 = lut[1];
        float[] l2 = lut[2];
        for (int p = 0, q = 0; p < plane; p++, q += 3) {
            out[base + p] = l0[px[q] & 0xFF];
            out[base + plane + p] = l1[px[q + 1] & 0xFF];
            out[base + 2 * plane + p] = l2[px[q + 2] & 0xFF];
        }
    }

    private static float[][] normalisationTable(Normalization norm) {
        float[][] t = new float[3][256];
        for (int c = 0; c < 3; c++) {
            for (int v = 0; v < 256; v++) {
                t[c][v] = ((float) v / 255f - norm.mean()[c]) / norm.std()[c];
            }
        }
        return t;
    }

    private static ThreadFactory daemonThreads() {
        int id = POOL_IDS.incrementAndGet();
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "augment-" + id + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
