package org.selfsup.distributed;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.List;

/**
 * PyTorch DDP's gradient averaging: the trainable parameters are grouped, in order, into buckets of
 * about {@code bucketBytes} (DDP's default 25 MB); per step, each bucket's gradients are flattened into
 * one contiguous array on the device, all-reduced (sum) in one collective call, scaled by 1/ranks and
 * copied back into the gradients. Everything stays on the device; the JNI calls are per parameter, never
 * per element.
 */
public final class BucketedAllReduce implements GradientReducer {
    /** DDP's default bucket size, 25 MiB. */
    public static final long DEFAULT_BUCKET_BYTES = 25L << 20;
    /** {@code [:]}: a slice assignment over the whole first axis is an in-place {@code copy_} in libtorch. */
    private static final NDIndex FULL = new NDIndex(":");

    private final Collective collective;
    private final List<List<Parameter>> buckets;
    private final NDArray invRanks;
    private final Watchdog watchdog;
    private long lastNanos;

    /**
     * @param params      trainable parameters (float32), in the same order on every rank
     * @param collective  the ranks' collective
     * @param bucketBytes target bucket size in bytes (a parameter larger than this is a bucket alone)
     * @param device      manager on the parameters' device (holds the 1/ranks constant)
     * @param watchdog    told of progress after each step's reduction (may be null)
     */
    public BucketedAllReduce(List<Parameter> params, Collective collective, long bucketBytes, NDManager device,
                             Watchdog watchdog) {
        this.collective = collective;
        this.buckets = buckets(params, bucketBytes);
        this.invRanks = device.create(1f / collective.size());
        this.watchdog = watchdog;
    }

    /** The parameters grouped into consecutive buckets of at least {@code bucketBytes} (the last may be smaller). */
    static List<List<Parameter>> buckets(List<Parameter> params, long bucketBytes) {
        List<List<Parameter>> out = new ArrayList<>();
        List<Parameter> cur = new ArrayList<>();
        long bytes = 0;
        for (Parameter p : params) {
            NDArray a = p.getArray();
            if (a.getDataType() != DataType.FLOAT32) {
                throw new IllegalArgumentException("parameter " + p.getName() + " is " + a.getDataType()
                        + ": gradient all-reduce supports float32 parameters");
            }
            if (a.getShape().dimension() == 0) {
                throw new IllegalArgumentException("parameter " + p.getName() + " is a scalar: gradient all-reduce "
                        + "copies back by slices of the first axis");
            }
            cur.add(p);
            bytes += a.size() * 4L;
            if (bytes >= bucketBytes) {
                out.add(cur);
                cur = new ArrayList<>();
                bytes = 0;
            }
        }
        if (!cur.isEmpty()) {
            out.add(cur);
        }
        return out;
    }

    /** Number of buckets (= collective calls per step). */
    public int bucketCount() {
        return buckets.size();
    }

    @Override
    public void reduce(NDManager step) {
        long t0 = System.nanoTime();
        for (List<Parameter> bucket : buckets) {
            try (NDManager m = step.newSubManager()) {
                NDArray[] grads = new NDArray[bucket.size()];
                NDList flat = new NDList(bucket.size());
                for (int i = 0; i < grads.length; i++) {
                    grads[i] = bucket.get(i).getArray().getGradient();
                    grads[i].attach(m);
                    flat.add(grads[i].flatten());
                }
                NDArray all = grads.length == 1 ? flat.get(0).duplicate() : NDArrays.concat(flat);
                collective.allReduce(all, Collective.Op.SUM);
                all.muli(invRanks);
                long off = 0;
                for (NDArray g : grads) {
                    long n = g.size();
                    // in-place copy into the gradient tensor (getGradient's handle aliases the .grad storage)
                    g.set(FULL, all.get(new NDIndex("{}:{}", off, off + n)).reshape(g.getShape()));
                    off += n;
                }
            }
        }
        if (watchdog != null) {
            watchdog.beat();
        }
        lastNanos = System.nanoTime() - t0;
    }

    @Override
    public long lastNanos() {
        return lastNanos;
    }
}
