package org.selfsup.natives;

/**
 * An autocast region on the calling thread, with {@code torch.autocast}'s enter/exit semantics: entering
 * saves the thread's autocast state for the device, sets the dtype and enables it; {@link #close()}
 * restores the saved state and, when the outermost region exits, clears the cache of low-precision
 * weight copies. Use in try-with-resources so the state is restored even when the forward pass throws.
 *
 * <p>libtorch keeps autocast state per thread: a scope must be closed on the thread that opened it;
 * closing it elsewhere throws {@link IllegalStateException} without touching either thread's state.
 */
public final class AutocastScope implements AutoCloseable {
    private final LibTorch torch;
    private final int deviceType;
    private final Thread owner;
    private final boolean enables;
    private final boolean previousEnabled;
    private final ScalarType previousDtype;
    private boolean closed;

    private AutocastScope(LibTorch torch, int deviceType, ScalarType dtype) {
        this.torch = torch;
        this.deviceType = deviceType;
        this.owner = Thread.currentThread();
        this.enables = dtype != null;
        if (enables) {
            this.previousEnabled = torch.isAutocastEnabled(deviceType);
            this.previousDtype = torch.autocastDtype(deviceType);
            torch.setAutocastDtype(deviceType, dtype);
            torch.setAutocastEnabled(deviceType, true);
        } else {
            this.previousEnabled = false;
            this.previousDtype = null;
        }
        torch.incrementAutocastNesting();
    }

    /**
     * A region that only holds the weight-cast cache open (autocast nesting + 1) without enabling
     * autocast: autocast regions opened inside it keep their low-precision weight copies until this region
     * closes, so a training step casts each weight once although its forward passes are separate regions
     * (and the loss arithmetic between them runs outside autocast, in float32).
     */
    public static AutocastScope cacheRegion(LibTorch torch) {
        return new AutocastScope(torch, LibTorch.DEVICE_CPU, null);
    }

    /**
     * Enters autocast on the calling thread.
     *
     * @param torch      the loaded libtorch
     * @param deviceType {@link LibTorch#DEVICE_CPU} or {@link LibTorch#DEVICE_CUDA}
     * @param dtype      {@link ScalarType#BFLOAT16} or {@link ScalarType#FLOAT16}
     */
    public static AutocastScope open(LibTorch torch, int deviceType, ScalarType dtype) {
        if (!dtype.isHalfPrecision()) {
            throw new IllegalArgumentException("autocast computes in bfloat16 or float16, not " + dtype);
        }
        return new AutocastScope(torch, deviceType, dtype);
    }

    /** Restores the autocast state saved on entry (idempotent). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("autocast scope opened on thread " + owner.getName()
                    + " closed on " + Thread.currentThread().getName() + ": libtorch keeps autocast state per thread");
        }
        closed = true;
        if (torch.decrementAutocastNesting() == 0) {
            torch.clearAutocastCache();
        }
        if (enables) {
            torch.setAutocastEnabled(deviceType, previousEnabled);
            torch.setAutocastDtype(deviceType, previousDtype);
        }
    }
}
