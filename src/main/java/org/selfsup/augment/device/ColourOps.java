package org.selfsup.augment.device;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The colour half of the device path: ColorJitter in per-sample random order (4 rounds of masked
 * blends and hue), grayscale and solarize, with optional emulation of Pillow's uint8 arithmetic (see
 * {@link DeviceAugmenter}). Package-private.
 */
final class ColourOps {
    private static final int COLS_PER_ROUND = 5;
    private static final int COL_GRAY = 4 * COLS_PER_ROUND;
    private static final int NUM_COLS = COL_GRAY + 1;

    private final DeviceConstants consts;
    private final boolean quantize;

    ColourOps(DeviceConstants consts, boolean quantize) {
        this.consts = consts;
        this.quantize = quantize;
    }

    /** ColorJitter (4 rounds) and grayscale on (B, 3, S, S) in [0, 1]. */
    NDArray jitterAndGray(NDArray x, ViewParams p, NDManager tmp) {
        int n = p.n;
        float[] table = new float[NUM_COLS * n];
        boolean[] roundBlend = new boolean[4];
        boolean[] roundContrast = new boolean[4];
        boolean[] roundSaturation = new boolean[4];
        boolean[] roundHue = new boolean[4];
        for (int i = 0; i < n; i++) {
            for (int r = 0; r < 4; r++) {
                int op = p.order[i][r];
                boolean on = p.jitter[i];
                int base = r * COLS_PER_ROUND * n;
                table[base + i] = on && op < 3 ? (float) p.factors[i][op] : 1f;
                table[base + n + i] = on && op == 1 ? 1f : 0f;
                table[base + 2 * n + i] = on && op == 2 ? 1f : 0f;
                table[base + 3 * n + i] = on && op == 3 ? 1f : 0f;
                // torchvision adds np.uint8(hue * 255) to PIL's uint8 H channel: whole 1/255 steps.
                table[base + 4 * n + i] = on && op == 3 ? (float) (long) (p.factors[i][3] * 255) : 0f;
                roundBlend[r] |= on && op < 3 && p.factors[i][op] != 1;
                roundContrast[r] |= on && op == 1;
                roundSaturation[r] |= on && op == 2;
                roundHue[r] |= on && op == 3 && table[base + 4 * n + i] != 0;
            }
            table[COL_GRAY * n + i] = p.gray[i] ? 1f : 0f;
        }
        NDArray t = tmp.create(table, new Shape(NUM_COLS, n));
        for (int r = 0; r < 4; r++) {
            int base = r * COLS_PER_ROUND;
            if (roundBlend[r]) {
                NDArray degenerate = null;
                if (roundContrast[r] || roundSaturation[r]) {
                    NDArray luma = luma(x);
                    if (roundSaturation[r]) {
                        degenerate = luma.mul(column(t, base + 2, n));
                    }
                    if (roundContrast[r]) {
                        NDArray m;
                        if (quantize) {
                            // Pillow: int(mean of the uint8 L image + 0.5). The integer sums are exact in
                            // float32 (< 2^24 up to 256x256); one float64 division keeps ties exact.
                            m = luma.mul(consts.c255).round().sum(new int[] {3}, true).sum(new int[] {2}, true)
                                    .toType(DataType.FLOAT64, false).div(consts.pixelCount).add(consts.half).floor()
                                    .toType(DataType.FLOAT32, false).div(consts.c255);
                        } else { // the PyTorch engine reduces one axis per call
                            m = luma.mean(new int[] {3}, true).mean(new int[] {2}, true);
                        }
                        NDArray grey = m.mul(column(t, base + 1, n));
                        degenerate = degenerate == null ? grey : degenerate.add(grey);
                    }
                }
                NDArray f = column(t, base, n);
                if (quantize) {
                    // Image.blend on uint8 values: float32 in1 + alpha (in2 - in1), truncated, clipped.
                    NDArray x255 = x.mul(consts.c255).round();
                    NDArray d255 = degenerate == null ? null : degenerate.mul(consts.c255).round();
                    NDArray blended = d255 == null ? x255.mul(f) : x255.sub(d255).mul(f).add(d255);
                    x = blended.floor().clip(0, 255).div(consts.c255);
                } else {
                    x = degenerate == null ? x.mul(f) : x.sub(degenerate).mul(f).add(degenerate);
                    x = x.clip(0, 1);
                }
            }
            if (roundHue[r]) {
                NDArray shifted = hue(x, column(t, base + 4, n));
                x = x.add(shifted.sub(x).mul(column(t, base + 3, n)));
            }
        }
        if (p.anyGray()) {
            NDArray luma = luma(x);
            x = x.add(luma.sub(x).mul(column(t, COL_GRAY, n)));
        }
        return x;
    }

    /** Solarize(128) of the samples that draw it: {@code x >= 128/255 ? 1 - x : x}. */
    NDArray solarize(NDArray x, ViewParams p, NDManager tmp) {
        int n = p.n;
        float[] mask = new float[n];
        for (int i = 0; i < n; i++) {
            mask[i] = p.solarize[i] ? 1f : 0f;
        }
        NDArray above = x.gte(consts.solarizeThreshold).toType(DataType.FLOAT32, false);
        NDArray inverted = x.mul(consts.two).neg().add(consts.one); // 1 - 2x: adding it to x gives 1 - x
        return x.add(inverted.mul(above).mul(tmp.create(mask, new Shape(n, 1, 1, 1))));
    }

    /** Row {@code col} of the parameter table as a (B, 1, 1, 1) per-sample value. */
    private static NDArray column(NDArray table, int col, int n) {
        return table.get(col).reshape(n, 1, 1, 1);
    }

    /** Pillow's L conversion, (B, 1, S, S), rounded like the uint8 L image when quantising. */
    private NDArray luma(NDArray x) {
        NDArray l = x.mul(consts.lumaWeights).sum(new int[] {1}, true);
        return quantize ? consts.roundHalfUp(l) : l;
    }

    /**
     * Hue shift through batched RGB -> HSV (Pillow's hexcone) -> RGB, all channels at once.
     *
     * @param steps per-sample shift in whole 1/255 steps ({@code (long) (hue * 255)}), (B, 1, 1, 1)
     */
    private NDArray hue(NDArray x, NDArray steps) {
        return quantize ? hueUint8(x, steps) : hueFloat(x, steps);
    }

    /** Continuous HSV: {@code v - v s clamp(min(k, 4 - k), 0, 1)}, {@code k = (n + 6h) mod 6}, n = 5, 3, 1. */
    private NDArray hueFloat(NDArray x, NDArray steps) {
        NDArray maxc = x.max(new int[] {1}, true);
        NDArray delta = maxc.sub(x.min(new int[] {1}, true));
        NDArray h = hexconeHue(x, maxc, delta.add(consts.eps)); // in sixths, [-1, 5)
        NDArray k = h.add(steps.mul(consts.sixOver255)).add(consts.hueOffsets).mod(consts.six);
        NDArray ramp = k.minimum(k.neg().add(consts.four)).clip(0, 1);
        return maxc.sub(delta.mul(ramp)).clip(0, 1); // v s = max - min
    }

    /**
     * Pillow's uint8 path as torchvision uses it: H = int(255 h), S = int(255 s), V = max; H += shift
     * with uint8 wrap-around; back to RGB with {@code round(v (1 - fs x))} per channel. The mix of
     * float32 and float64 steps follows Pillow's C code (Convert.c rgb2hsv / hsv2rgb), so values that
     * land near a uint8 boundary round the same way.
     */
    private NDArray hueUint8(NDArray x, NDArray steps) {
        DataType f32 = DataType.FLOAT32;
        DataType f64 = DataType.FLOAT64;
        NDArray x255 = x.mul(consts.c255).round(); // the uint8 values, float32
        NDArray maxc = x255.max(new int[] {1}, true);
        NDArray chroma = maxc.sub(x255.min(new int[] {1}, true));
        NDArray dist = maxc.sub(x255).div(chroma.clip(1, 255)); // float rc, gc, bc (grey pixels: 0)
        NDArray sat = chroma.div(maxc.clip(1, 255)); // float s
        NDArray rc = dist.get(new NDIndex(":, 0:1"));
        NDArray gc = dist.get(new NDIndex(":, 1:2"));
        NDArray bc = dist.get(new NDIndex(":, 2:3"));
        NDArray hr = bc.sub(gc);
        NDArray hg = rc.toType(f64, false).add(consts.two).sub(bc.toType(f64, false)).toType(f32, false);
        NDArray hb = gc.toType(f64, false).add(consts.four).sub(rc.toType(f64, false)).toType(f32, false);
        NDArray h = NDArrays.where(x255.get(new NDIndex(":, 0:1")).eq(maxc), hr,
                NDArrays.where(x255.get(new NDIndex(":, 1:2")).eq(maxc), hg, hb));
        NDArray hFrac = h.toType(f64, false).div(consts.six).add(consts.one).mod(consts.one).toType(f32, false);
        NDArray h8 = hFrac.toType(f64, false).mul(consts.c255).floor();
        NDArray s8 = sat.toType(f64, false).mul(consts.c255).floor();
        NDArray hh = h8.add(steps.toType(f64, false)).mod(consts.c256).mul(consts.six).div(consts.c255); // [0, 6]
        NDArray sector = hh.floor();
        NDArray frac = hh.sub(sector).toType(f32, false).toType(f64, false);
        NDArray fs = s8.div(consts.c255).toType(f32, false).toType(f64, false);
        // Channel n in (5, 3, 1) takes x = clamp(min(k, 4 - k), 0, 1), k = ((n + sector) mod 6) + frac,
        // which is 0, 1, f or 1 - f exactly as Pillow's p, q, t selection.
        NDArray k = sector.add(consts.hueOffsets).mod(consts.six).add(frac);
        NDArray ramp = k.minimum(k.neg().add(consts.four)).clip(0, 1);
        NDArray v = maxc.toType(f64, false);
        NDArray out = v.mul(fs.mul(ramp).neg().add(consts.one)).add(consts.half).floor();
        return out.toType(f32, false).div(consts.c255).clip(0, 1);
    }

    /** Pillow's hexcone hue in sixths of the circle, in [-1, 5), from channel values and chroma. */
    private NDArray hexconeHue(NDArray x, NDArray maxc, NDArray chroma) {
        NDArray dist = maxc.sub(x).div(chroma); // (max - c) / chroma for c = r, g, b
        NDArray rc = dist.get(new NDIndex(":, 0:1"));
        NDArray gc = dist.get(new NDIndex(":, 1:2"));
        NDArray bc = dist.get(new NDIndex(":, 2:3"));
        NDArray hr = bc.sub(gc);
        NDArray hg = rc.sub(bc).add(consts.two);
        NDArray hb = gc.sub(rc).add(consts.four);
        return NDArrays.where(x.get(new NDIndex(":, 0:1")).eq(maxc), hr,
                NDArrays.where(x.get(new NDIndex(":, 1:2")).eq(maxc), hg, hb));
    }
}
