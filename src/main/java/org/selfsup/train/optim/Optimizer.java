package org.selfsup.train.optim;

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

    /** Sets every parameter's gradient to zero (DJL's PyTorch engine accumulates across backward calls). */
    void zeroGrad();

    /** Writes the optimiser state (momentum buffers). */
    void save(DataOutputStream out) throws IOException;

    /** Restores state written by {@link #save} for the same parameter list. */
    void load(DataInputStream in) throws IOException;

    /** Releases the state arrays. */
    @Override
    void close();
}
