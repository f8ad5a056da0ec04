package org.selfsup.eval;

import java.util.Objects;
import org.selfsup.augment.ImageOp;
import org.selfsup.augment.ops.CenterCrop;
import org.selfsup.data.Image;
import org.selfsup.data.Normalization;

/**
 * The deterministic test transform: an optional geometric preprocessing op (e.g. torchvision's
 * {@code Resize(36) + CenterCrop(32)} or {@code CenterCrop(S)}), then {@code ToTensor} and
 * {@code Normalize}.
 *
 * @param normalization per-channel mean/std applied after scaling pixels to [0, 1]
 * @param preprocess    applied to the uint8 RGB image first; {@link #IDENTITY} for the plain
 *                      ToTensor + Normalize of the kNN monitor (§1.4, no resize)
 */
public record TestTransform(Normalization normalization, ImageOp preprocess) {
    /** No geometric change. */
    public static final ImageOp IDENTITY = img -> img;

    public TestTransform {
        Objects.requireNonNull(normalization);
        Objects.requireNonNull(preprocess);
    }

    /** ToTensor + Normalize only. */
    public static TestTransform plain(Normalization normalization) {
        return new TestTransform(normalization, IDENTITY);
    }

    /** {@code CenterCrop(size)} then ToTensor + Normalize. */
    public static TestTransform centerCrop(Normalization normalization, int size) {
        return new TestTransform(normalization, new CenterCrop(size));
    }

    /** The preprocessed uint8 RGB image (grey images are repeated to 3 channels first). */
    public Image apply(Image image) {
        return preprocess.apply(image.toRgb());
    }
}
