package org.selfsup.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.function.LongToDoubleFunction;

/**
 * A per-step schedule value (learning rate, EMA tau, 1 − tau) for every step k = 1..K of a run, uploaded
 * to the device once. {@link #at} returns a 0-d view of the table on the device, so a step needs no
 * host-to-device copy for its scalars. (On a GPU, creating a scalar from the host is a blocking copy that
 * waits for all queued kernels: two per step for the EMA alone would serialise host and device.)
 * Values are rounded to float32 exactly as {@code manager.create((float) v)} would.
 */
public final class DeviceSchedule implements AutoCloseable {
    private final NDArray table;
    private final long steps;

    /**
     * @param manager manager on the device (the table is attached to it)
     * @param steps   K, the number of steps
     * @param value   the value of step k (1-based)
     */
    public DeviceSchedule(NDManager manager, long steps, LongToDoubleFunction value) {
        if (steps < 1 || steps > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("steps must be in 1.." + Integer.MAX_VALUE + ": " + steps);
        }
        float[] v = new float[(int) steps];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) value.applyAsDouble(i + 1L);
        }
        this.table = manager.create(v);
        this.steps = steps;
    }

    /**
     * The value of step {@code k} as a 0-d array on the device, attached to {@code step} (close it with
     * the step's manager).
     */
    public NDArray at(long k, NDManager step) {
        if (k < 1 || k > steps) {
            throw new IndexOutOfBoundsException("step " + k + " outside 1.." + steps);
        }
        NDArray a = table.get(k - 1);
        a.attach(step);
        return a;
    }

    @Override
    public void close() {
        table.close();
    }
}
