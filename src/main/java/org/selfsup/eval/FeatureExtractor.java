package org.selfsup.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;
import org.selfsup.data.Image;
import org.selfsup.data.ImageSet;
import org.selfsup.data.Normalization;

/**
 * Runs a frozen encoder over images in batches and collects the features on the host.
 *
 * <p>Each batch lives in its own sub-manager, so device memory stays bounded by one batch whatever
 * the number of images; the host matrix holds N x D floats.
 */
public final class FeatureExtractor {
    private final FeatureEncoder encoder;
    private final int batchSize;

    /**
     * @param encoder   the frozen encoder (inference mode)
     * @param batchSize images per forward pass
     */
    public FeatureExtractor(FeatureEncoder encoder, int batchSize) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive: " + batchSize);
        }
        this.encoder = Objects.requireNonNull(encoder);
        this.batchSize = batchSize;
    }

    /**
     * Features of every image of {@code store} under the test transform, in store order.
     *
     * @param l2Normalise whether each row is divided by its L2 norm (eps 1e-12, as {@code F.normalize})
     */
    public FeatureMatrix extract(NDManager manager, ImageSet store, TestTransform transform, boolean l2Normalise) {
        return extract(manager, store.size(), i -> transform.apply(store.rgb(i)), transform.normalization(),
                l2Normalise);
    }

    /**
     * Features of {@code count} images given by {@code image} (uint8 RGB, all of one size), in index order.
     */
    public FeatureMatrix extract(NDManager manager, int count, IntFunction<Image> image, Normalization norm,
                                 boolean l2Normalise) {
        FeatureMatrix out = null;
        List<Image> batch = new ArrayList<>(batchSize);
        for (int start = 0; start < count; start += batchSize) {
            int end = Math.min(count, start + batchSize);
            batch.clear();
            for (int i = start; i < end; i++) {
                batch.add(image.apply(i));
            }
            try (NDManager sub = manager.newSubManager()) {
                NDArray f = encodeBatch(sub, batch, norm, l2Normalise);
                if (out == null) {
                    out = new FeatureMatrix((int) f.getShape().get(1));
                }
                out.append(f.toFloatArray());
            }
        }
        if (out == null) {
            throw new IllegalArgumentException("no images to extract features from");
        }
        return out;
    }

    /**
     * Features of one batch as an NDArray attached to {@code manager}, detached from any gradient
     * recording (the encoder is frozen).
     */
    public NDArray encodeBatch(NDManager manager, List<Image> images, Normalization norm, boolean l2Normalise) {
        NDArray x = ImageTensors.toBatch(manager, images, norm);
        NDArray f = encoder.encode(x).stopGradient();
        if (f.getShape().dimension() != 2) {
            f = f.reshape(f.getShape().get(0), -1);
        }
        if (l2Normalise) {
            f = f.normalize(2, 1, 1e-12);
        }
        f.attach(manager);
        return f;
    }
}
