package org.selfsup.augment;

import java.util.List;

/**
 * One batch of views, ready for the device: per view a float array of {@code B x 3 x S x S}
 * normalised values in CHW order (torchvision {@code ToTensor} + {@code Normalize}), plus the source
 * image indices and labels.
 *
 * @param epoch      epoch the views were drawn for
 * @param batchIndex index of the batch within its epoch, or -1 when assembled outside a loader
 * @param indices    source image indices in the store, one per sample
 * @param labels     label per sample ({@code -1} when unlabelled)
 * @param size       view side S
 * @param viewNames  names of the views, as the plan lists them
 * @param views      one array of length {@code B*3*S*S} per view, in {@code viewNames} order
 */
public record ViewBatch(int epoch, int batchIndex, int[] indices, int[] labels, int size,
                        List<String> viewNames, List<float[]> views) {

    /** Number of samples B. */
    public int batchSize() {
        return indices.length;
    }

    /** The values of view {@code name}. */
    public float[] view(String name) {
        int k = viewNames.indexOf(name);
        if (k < 0) {
            throw new IllegalArgumentException("no view " + name + " in batch (views: " + viewNames + ")");
        }
        return views.get(k);
    }

    /** The NCHW shape of every view: {@code {B, 3, S, S}}. */
    public long[] shape() {
        return new long[] {indices.length, 3, size, size};
    }
}
