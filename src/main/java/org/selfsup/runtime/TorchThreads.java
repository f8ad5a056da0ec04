package org.selfsup.runtime;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import org.selfsup.util.UserException;

/**
 * PyTorch's intra-op thread count for this process ({@code torch-threads}). libtorch's
 * {@code at::set_num_threads} also sets OpenMP's and MKL's thread counts, so one call has the effect of
 * {@code OMP_NUM_THREADS} without an environment variable.
 *
 * <p>Why it matters: with more than one thread, reductions (convolution and matrix-product
 * accumulations, BatchNorm statistics) are split between threads and summed in an order that depends on
 * the scheduling, so two runs drift apart by rounding (about 1e-5 in the loss after a few hundred steps).
 * With one thread a run is bit-identical to itself and across a kill and resume, on the same device and
 * build.
 */
public final class TorchThreads {
    private TorchThreads() {}

    /** Largest accepted count (the same bound as the augmentation {@code threads}). */
    public static final int MAX = 256;

    /**
     * Sets the intra-op thread count; 0 leaves the engine's default (one per physical core, or
     * {@code ai.djl.pytorch.num_threads}).
     *
     * @throws UserException naming {@code what} (the flag or key) if {@code n} is outside 0..{@value #MAX}
     */
    public static void apply(int n, String what) {
        if (n < 0 || n > MAX) {
            throw new UserException(what + ": must be in 0.." + MAX + " (got " + n + ")");
        }
        if (n > 0) {
            Engine.getInstance(); // loads libtorch
            JniUtils.setNumThreads(n);
        }
    }

    /**
     * Splits the machine's cores between the {@code localRanks} processes of a data-parallel job on it:
     * intra-op threads = cores / local ranks (at least 1), so that the ranks do not oversubscribe the
     * CPU. Leaves an explicit {@code ai.djl.pytorch.num_threads} alone.
     */
    public static void shareCores(int localRanks) {
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            Engine.getInstance(); // loads libtorch
            JniUtils.setNumThreads(Math.max(1, Runtime.getRuntime().availableProcessors() / localRanks));
        }
    }

    /**
     * Turns PyTorch's gradient recording off on the calling thread, for a worker thread that only runs
     * inference (a new thread starts with it on).
     */
    public static void inferenceOnly() {
        Engine.getInstance();
        JniUtils.setGradMode(false);
    }

    /** The intra-op thread count now in effect. */
    public static int current() {
        Engine.getInstance();
        return JniUtils.getNumThreads();
    }
}
