package org.selfsup.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Scalar operands made by libtorch on the device, for use instead of a Java number in an NDArray operation.
 *
 * <p>Why: DJL's {@code x.mul(2f)} (and {@code add}, {@code sub}, {@code div}, {@code pow}, {@code maximum},
 * {@code minimum} and their in-place forms with a Java number) wraps the number in a 0-d tensor over a Java
 * direct buffer and closes that tensor right after the operation. On the CPU the tensor's storage is the Java
 * buffer itself (DJL's {@code from_blob}, with no deleter); when autograd saved it for the backward pass, as a
 * product or a quotient does, the backward reads memory the garbage collector may by then have freed and
 * reused, and the gradients become garbage or NaN. That was the sporadic NaN of tiny ViT runs (the attention
 * scale {@code q * d^-0.5}, made certain by calling {@code System.gc()} in a loop during training), and RSA's
 * {@code beta} and the gradient-accumulation divisor were exposed the same way. On a GPU the same call is a
 * blocking host-to-device copy. A scalar from {@link #of} is allocated and filled by libtorch on the
 * manager's device ({@code torch::full}): autograd's reference keeps it alive whatever happens to the Java
 * object, and no host data moves. {@code ScalarOperandTest} keeps Java-number operands out of selfsup.
 */
public final class Scalars {
    private Scalars() {}

    /** A float32 0-d array holding {@code value}, in {@code manager}, on its device. */
    public static NDArray of(NDManager manager, float value) {
        return manager.full(new Shape(), value);
    }
}
