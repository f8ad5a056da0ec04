package org.selfsup.distributed;

import ai.djl.ndarray.NDManager;

/**
 * Combines the gradients of all ranks between the backward pass and the optimiser step, so that every
 * rank steps with the same (averaged) gradients. {@link #NONE} for one process.
 */
public interface GradientReducer {
    /** One process: gradients are used as they are. */
    GradientReducer NONE = new GradientReducer() {
        @Override
        public void reduce(NDManager step) {}

        @Override
        public long lastNanos() {
            return 0;
        }
    };

    /**
     * Replaces every trainable parameter's gradient by its mean over ranks.
     *
     * @param step the step's manager (temporaries go into a sub-manager of it)
     */
    void reduce(NDManager step);

    /** Host time of the last {@link #reduce} call in nanoseconds (the all-reduce time of a step). */
    long lastNanos();
}
