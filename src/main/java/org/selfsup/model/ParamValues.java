package org.selfsup.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/** Loading values into existing parameter arrays (checkpoints, weight files). */
public final class ParamValues {
    private static final NDIndex ALL = new NDIndex("...");

    private ParamValues() {}

    /**
     * Writes {@code values} (in the array's logical NCHW order) into {@code array}'s own storage. Unlike
     * {@code NDArray.set(float[])}, which swaps in a new contiguous tensor, an indexed assignment keeps the
     * array's memory format, so a checkpoint or weight file loaded into channels-last weights
     * ({@code --channels-last}) leaves them channels-last.
     */
    public static void set(NDArray array, float[] values) {
        try (NDArray src = array.getManager().create(values, array.getShape())) {
            array.set(ALL, src);
        }
    }
}
