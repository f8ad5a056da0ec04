package org.selfsup.augment.device;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The geometric half of the device path: per-sample crop + resize + flip and Gaussian blur as batched
 * matrix products (see {@link DeviceAugmenter}). Package-private.
 */
final class SpatialOps {
    private final DeviceConstants consts;
    private final boolean quantize;
    private final int size;

    SpatialOps(DeviceConstants consts, boolean quantize, int size) {
        this.consts = consts;
        this.quantize = quantize;
        this.size = size;
    }

    /** Crop + resize + flip of (B, C, H, W) in [0,255] to (B, 3, S, S) in [0, 1]. */
    NDArray cropResize(NDArray src, ViewParams p, NDManager tmp) {
        int n = p.n;
        int s = size;
        int h = (int) src.getShape().get(2);
        int w = (int) src.getShape().get(3);
        float[] wy = new float[n * s * h];
        float[] wx = new float[n * s * w];
        for (int i = 0; i < n; i++) {
            ResampleWeights.fill(wy, i * s * h, h, p.top[i], p.cropHeight[i], s, false);
            ResampleWeights.fill(wx, i * s * w, w, p.left[i], p.cropWidth[i], s, p.flip[i]);
        }
        NDArray wyArr = tmp.create(wy, new Shape(n, 1, s, h));
        NDArray wxT = tmp.create(wx, new Shape(n, 1, s, w)).transpose(0, 1, 3, 2);
        NDArray x;
        if (quantize) {
            // Pillow: horizontal pass rounded to uint8, then vertical pass rounded (values 0..255 here).
            // Its sums are exact 22-bit fixed point, and upscaling often lands on exact .5 ties that only
            // the rounded coefficients break; float32 (24-bit mantissa) loses that, float64 keeps it.
            // The weights are multiples of 2^-22, so they convert to float64 exactly.
            NDArray src64 = src.toType(DataType.FLOAT64, false);
            NDArray rows = src64.matMul(wxT.toType(DataType.FLOAT64, false)).add(consts.half).floor().clip(0, 255);
            x = wyArr.toType(DataType.FLOAT64, false).matMul(rows).add(consts.half).floor()
                    .toType(DataType.FLOAT32, false).div(consts.c255);
        } else {
            x = src.matMul(wxT);
            x = wyArr.matMul(x).div(consts.c255);
        }
        if (x.getShape().get(1) == 1) {
            x = x.repeat(1, 3);
        }
        return x.clip(0, 1);
    }

    /**
     * Per-sample Pillow GaussianBlur (identity for samples not blurred). With {@code quantize}, Pillow's
     * six box passes (three along x, then three along y) each followed by uint8 rounding, as six
     * batched matrix products; otherwise their combined operator, {@code K @ x @ K^T}.
     */
    NDArray blur(NDArray x, ViewParams p, NDManager tmp) {
        int n = p.n;
        int s = (int) x.getShape().get(2);
        float[] k = new float[n * s * s];
        for (int i = 0; i < n; i++) {
            if (p.blurSigma[i] > 0) {
                if (quantize) {
                    BoxBlurWeights.fillPass(k, i * s * s, p.blurSigma[i], s);
                } else {
                    BoxBlurWeights.fill(k, i * s * s, p.blurSigma[i], s);
                }
            } else {
                for (int j = 0; j < s; j++) {
                    k[i * s * s + j * s + j] = 1f;
                }
            }
        }
        NDArray kArr = tmp.create(k, new Shape(n, 1, s, s));
        if (!quantize) {
            return kArr.matMul(x).matMul(kArr.transpose(0, 1, 3, 2)).clip(0, 1);
        }
        // Pillow sums uint8 values with 24-bit fixed-point weights exactly; float64 keeps those sums
        // exact (float32 would misround exact .5 ties). The weights are multiples of 2^-24.
        NDArray k64 = kArr.toType(DataType.FLOAT64, false);
        NDArray kT64 = k64.transpose(0, 1, 3, 2);
        NDArray y = x.mul(consts.c255).round().toType(DataType.FLOAT64, false);
        for (int pass = 0; pass < BoxBlurWeights.PASSES; pass++) {
            y = y.matMul(kT64).add(consts.half).floor(); // along x (within rows), rounded to uint8
        }
        for (int pass = 0; pass < BoxBlurWeights.PASSES; pass++) {
            y = k64.matMul(y).add(consts.half).floor(); // along y
        }
        return y.toType(DataType.FLOAT32, false).div(consts.c255).clip(0, 1);
    }
}
