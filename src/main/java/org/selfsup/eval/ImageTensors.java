package org.selfsup.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.selfsup.data.Image;
import org.selfsup.data.Normalization;

/** torchvision {@code ToTensor} + {@code Normalize} for a batch of uint8 RGB images, in one host-to-device copy. */
public final class ImageTensors {
    private ImageTensors() {}

    /**
     * A float32 N x 3 x H x W batch: {@code (pixel / 255 - mean[c]) / std[c]}.
     *
     * @throws IllegalArgumentException if the images are not all 3-channel and of the same size
     */
    public static NDArray toBatch(NDManager manager, List<Image> images, Normalization norm) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("empty image batch");
        }
        int h = images.get(0).height();
        int w = images.get(0).width();
        int plane = h * w;
        float[] out = new float[images.size() * 3 * plane];
        float[] scale = new float[3];
        float[] shift = new float[3];
        for (int c = 0; c < 3; c++) {
            scale[c] = 1f / (255f * norm.std()[c]);
            shift[c] = norm.mean()[c] / norm.std()[c];
        }
        for (int n = 0; n < images.size(); n++) {
            Image img = images.get(n);
            if (img.height() != h || img.width() != w || img.channels() != 3) {
                throw new IllegalArgumentException("batch mixes image sizes: " + img + " vs " + h + "x" + w + "x3");
            }
            byte[] d = img.data();
            int base = n * 3 * plane;
            for (int p = 0; p < plane; p++) {
                for (int c = 0; c < 3; c++) {
                    out[base + c * plane + p] = (d[3 * p + c] & 0xFF) * scale[c] - shift[c];
                }
            }
        }
        return manager.create(out, new Shape(images.size(), 3, h, w));
    }
}
