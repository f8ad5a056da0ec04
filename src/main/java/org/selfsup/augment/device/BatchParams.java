package org.selfsup.augment.device;

import java.util.List;

/**
 * All random parameters of one batch: one {@link ViewParams} per view of the plan, in plan order.
 *
 * @param srcHeight source image height
 * @param srcWidth  source image width
 * @param views     per-view parameters
 */
public record BatchParams(int srcHeight, int srcWidth, List<ViewParams> views) {
    public BatchParams {
        views = List.copyOf(views);
    }

    /** Number of samples in the batch. */
    public int batchSize() {
        return views.get(0).n;
    }
}
