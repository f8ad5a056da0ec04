package org.selfsup.augment.device;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.selfsup.data.Normalization;

/**
 * The constant arrays the batched ops use, created once on the device (on a GPU every
 * {@code NDArray.mul(Number)} would be a blocking host-to-device copy). Package-private.
 */
final class DeviceConstants {
    final NDArray mean;
    final NDArray std;
    /** Pillow's RGB -> L weights: (19595 R + 38470 G + 7471 B + 0x8000) >> 16. */
    final NDArray lumaWeights;
    final NDArray c255;
    final NDArray c256;
    final NDArray half;
    final NDArray eps;
    final NDArray one;
    final NDArray two;
    final NDArray four;
    final NDArray six;
    final NDArray sixOver255;
    /** Pixels per view (S * S), float64, for the exact contrast mean. */
    final NDArray pixelCount;
    /** HSV -> RGB offsets n = 5, 3, 1 for R, G, B, shape (1, 3, 1, 1). */
    final NDArray hueOffsets;
    final NDArray solarizeThreshold;

    /** Creates the constants in {@code m} (which owns and releases them). */
    DeviceConstants(NDManager m, Normalization norm, int size) {
        Shape perChannel = new Shape(1, 3, 1, 1);
        mean = m.create(norm.mean(), perChannel);
        std = m.create(norm.std(), perChannel);
        lumaWeights = m.create(new float[] {19595f / 65536, 38470f / 65536, 7471f / 65536}, perChannel);
        c255 = m.create(255f);
        c256 = m.create(256f);
        half = m.create(0.5f);
        eps = m.create(1e-12f);
        one = m.create(1f);
        two = m.create(2f);
        four = m.create(4f);
        six = m.create(6f);
        sixOver255 = m.create(6f / 255f);
        pixelCount = m.create((double) size * size);
        hueOffsets = m.create(new float[] {5f, 3f, 1f}, perChannel);
        solarizeThreshold = m.create(128f / 255f);
    }

    /** {@code floor(x * 255 + 0.5) / 255}: back onto the uint8 grid, rounding half up like Pillow. */
    NDArray roundHalfUp(NDArray x) {
        return x.mul(c255).add(half).floor().div(c255);
    }
}
