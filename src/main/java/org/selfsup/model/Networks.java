package org.selfsup.model;

import ai.djl.ndarray.NDArray;

/**
 * The networks a method's loss runs its views through. Implemented by
 * {@link SslModel#networks(ai.djl.training.ParameterStore)}, given the trainer's parameter store.
 *
 * <p>Every call is a separate forward pass, so BatchNorm statistics are per view, as in the
 * original code (four passes per RSA/DSSL step, never one concatenated batch).
 */
public interface Networks {
    /** Online backbone features f(x) (N x D), training mode. */
    NDArray features(NDArray x);

    /** Online projection g(f(x)), training mode. */
    NDArray project(NDArray x);

    /** Online prediction q(z) of a projection. */
    NDArray predict(NDArray z);

    /**
     * Target (EMA) projection g_xi(f_xi(x)): BatchNorm in training mode (batch statistics, running
     * statistics updated), result detached from the gradient.
     *
     * @throws IllegalStateException if the model has no target network
     */
    NDArray targetProject(NDArray x);

    /**
     * A scalar float32 constant (e.g. a loss weight) on the device of {@code like}. Implementations
     * cache it so that a GPU step does not pay a blocking host-to-device copy per use; the result is
     * owned by the implementation, so use it as the SECOND operand ({@code x.mul(c)}, never
     * {@code c.mul(x)}) so that results attach to the step's manager, and never close it.
     *
     * <p>The default makes a fresh scalar in {@code like}'s manager ({@link Scalars#of}).
     */
    default NDArray constant(float value, NDArray like) {
        return Scalars.of(like.getManager(), value);
    }
}
