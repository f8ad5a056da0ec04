package org.selfsup.eval;

import java.util.Objects;
import org.selfsup.augment.ImageOp;
import org.selfsup.augment.ops.CenterCrop;
import org.selfsup.augment.ops.Resize;
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

    /**
     * The papers' ImageNet test geometry for full-resolution pictures: {@code Resize(size * 256 / 224)}
     * (shorter side, 256 for 224) then {@code CenterCrop(size)}, then ToTensor + Normalize.
     */
    public static TestTransform resizeCenterCrop(Normalization normalization, int size) {
        Resize resize = new Resize(resizeSide(size));
        CenterCrop crop = new CenterCrop(size);
        return new TestTransform(normalization, img -> crop.apply(resize.apply(img)));
    }

    /** The shorter side images are resized to before a centre crop of {@code size}: {@code size * 256 / 224}. */
    public static int resizeSide(int size) {
        return size * 256 / 224;
    }

    /** The test transform of a data set: the ImageNet geometry for streamed pictures, else ToTensor + Normalize. */
    public static TestTransform of(org.selfsup.data.Dataset ds, int size) {
        return ds.fullResolution() ? resizeCenterCrop(ds.normalization(), size) : plain(ds.normalization());
    }

    /** The preprocessed uint8 RGB image (grey images are repeated to 3 channels first). */
    public Image apply(Image image) {
        return preprocess.apply(image.toRgb());
    }
}
