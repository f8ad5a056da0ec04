package org.selfsup.optim;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * An optimiser over a fixed list of {@link ai.djl.nn.Parameter}s with PyTorch semantics: the learning
 * rate is given at each step (schedules live outside), updates are in place, and the state (momentum
 * buffers) can be saved and restored bit-exactly for resume.
 */
public interface Optimizer extends AutoCloseable {
    /** One update of every parameter from its current gradient, with learning rate {@code lr}. */
    void step(double lr);

    /**
     * As {@link #step(double)} with the learning rate as a 0-d float32 array on the parameters' device,
     * so that no host-to-device copy is needed (see {@code train.DeviceSchedule}). The default reads the
     * value back to the host; {@link MomentumOptimizer} uses the array directly.
     */
    default void step(ai.djl.ndarray.NDArray lr) {
        step(lr.getFloat());
    }

    /**
     * As {@link #step(ai.djl.ndarray.NDArray)}, but only where the 0-d boolean {@code apply} on the device is
     * true: when it is false, parameters and state stay exactly as they are (a step skipped by dynamic loss
     * scaling). Gradients may then hold inf/NaN; they must not leak into the state. The default reads
     * {@code apply} back to the host (one sync per step); {@link MomentumOptimizer} decides on the device.
     */
    default void step(ai.djl.ndarray.NDArray lr, ai.djl.ndarray.NDArray apply) {
        if (apply.getBoolean()) {
            step(lr);
        }
    }

    /** Sets every parameter's gradient to zero (DJL's PyTorch engine accumulates across backward calls). */
    void zeroGrad();

    /**
     * Zeroes the gradients of {@code params} in place: through libtorch directly for PyTorch arrays (no
     * gradient handle per parameter), else by multiplying the gradient by 0. The shared body of
     * {@link #zeroGrad()}.
     */
    static void zeroGradients(java.util.List<ai.djl.nn.Parameter> params) {
        for (ai.djl.nn.Parameter p : params) {
            ai.djl.ndarray.NDArray w = p.getArray();
            if (w instanceof ai.djl.pytorch.engine.PtNDArray pt) {
                ai.djl.pytorch.jni.JniUtils.zeroGrad(pt);
            } else {
                try (ai.djl.ndarray.NDArray g = w.getGradient(); ai.djl.ndarray.NDArray zero = g.zerosLike()) {
                    g.muli(zero);
                }
            }
        }
    }

    /** Writes the optimiser state (momentum buffers). */
    void save(DataOutputStream out) throws IOException;

    /** Restores state written by {@link #save} for the same parameter list. */
    void load(DataInputStream in) throws IOException;

    /** Releases the state arrays. */
    @Override
    void close();
}
