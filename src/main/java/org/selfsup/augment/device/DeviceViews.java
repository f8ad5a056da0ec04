package org.selfsup.augment.device;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * The views of one batch made on the device: normalised float32 NCHW arrays in plan order, attached to
 * the batch manager the caller passed in, plus the host-side parameters they were made with.
 *
 * @param names  view names in plan order
 * @param arrays one (B, 3, S, S) array per view
 * @param params the sampled parameters (crop boxes, flips, factors...), e.g. for diagnostics
 */
public record DeviceViews(List<String> names, List<NDArray> arrays, BatchParams params) {
    public DeviceViews {
        names = List.copyOf(names);
        arrays = List.copyOf(arrays);
    }

    /** The array of view {@code name}. */
    public NDArray view(String name) {
        int i = names.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("no view " + name + " (views: " + names + ")");
        }
        return arrays.get(i);
    }
}
