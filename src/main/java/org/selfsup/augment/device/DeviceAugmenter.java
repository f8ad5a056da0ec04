package org.selfsup.augment.device;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.selfsup.data.ImageStore;
import org.selfsup.data.Normalization;

/**
 * Batched view generation on the engine's device ({@code augment-on: device}).
 *
 * <p>From a batch of uint8 source images (B, H, W, C) it makes every view of a {@link DevicePlan} as
 * normalised float32 (B, 3, S, S) arrays on the same device:
 * <ul>
 *   <li>random-resized crop + flip as {@code Wy (B,1,S,H) @ img (B,C,H,W) @ Wx^T (B,1,W,S)} with per-sample
 *       Pillow-bilinear weights including its antialiasing ({@link ResampleWeights}), the flip folded into
 *       {@code Wx};</li>
 *   <li>ColorJitter in per-sample random order, done in 4 rounds: in round r each jittered sample runs its
 *       r-th sub-op, chosen through per-sample factors and masks (brightness, contrast and saturation are all
 *       blends {@code d + f (x - d)} with degenerate 0, the grey mean, or the luma image; hue through batched
 *       RGB↔HSV);</li>
 *   <li>grayscale and solarize through masks, Gaussian blur as {@code K @ x @ K^T} with Pillow's 3-pass box
 *       operator per sample ({@link BoxBlurWeights}; identity for unblurred samples).</li>
 * </ul>
 * Values are clamped to [0, 1] after each op. With {@code quantize} the device path emulates Pillow's
 * uint8 arithmetic step by step (two resampling passes in float64 with rounding in between, blends in
 * float32 with truncation, rounded luma and contrast mean, the six rounded box-blur passes, HSV with
 * Pillow's float/double mix), so on the same parameters it reproduces the CPU path's pixels (the tests
 * measure 100% identical values on CPU); without it every op stays in float.
 *
 * <p>All random parameters are sampled on the host ({@link ParamSampler}, which reuses the CPU path's
 * samplers) and uploaded as a few small arrays per view; there is no per-element JNI call and no
 * device-to-host copy. See docs/device-augmentation.md for what differs from the CPU path.
 *
 * <p>Not thread-safe: use one instance per thread. Constants live in a sub-manager of the manager given
 * at construction, released by {@link #close()}.
 */
public final class DeviceAugmenter implements AutoCloseable {
    private static final int COLS_PER_ROUND = 5;
    private static final int COL_GRAY = 4 * COLS_PER_ROUND;
    private static final int COL_SOLARIZE = COL_GRAY + 1;
    private static final int NUM_COLS = COL_SOLARIZE + 1;

    private final DevicePlan plan;
    private final ParamSampler sampler;
    private final boolean quantize;
    private final NDManager constants;
    private final NDArray mean;
    private final NDArray std;
    private final NDArray lumaWeights;
    private final NDArray c255;
    private final NDArray half;
    private final NDArray eps;
    private final NDArray one;
    private final NDArray two;
    private final NDArray four;
    private final NDArray six;
    private final NDArray pixelCount;
    private final NDArray c256;
    private final NDArray sixOver255;
    private final NDArray hueOffsets;
    private final NDArray solarizeThreshold;

    /**
     * @param plan      the views to make
     * @param norm      per-channel normalisation applied last
     * @param manager   a manager on the target device; constants go into a sub-manager of it
     * @param quantize  emulate the CPU path's uint8 rounding between ops
     */
    public DeviceAugmenter(DevicePlan plan, Normalization norm, NDManager manager, boolean quantize) {
        this.plan = plan;
        this.sampler = new ParamSampler(plan);
        this.quantize = quantize;
        this.constants = manager.newSubManager();
        Shape perChannel = new Shape(1, 3, 1, 1);
        mean = constants.create(norm.mean(), perChannel);
        std = constants.create(norm.std(), perChannel);
        // Pillow's RGB -> L: (19595 R + 38470 G + 7471 B + 0x8000) >> 16.
        lumaWeights = constants.create(new float[] {19595f / 65536, 38470f / 65536, 7471f / 65536}, perChannel);
        c255 = scalar(255f);
        half = scalar(0.5f);
        eps = scalar(1e-12f);
        one = scalar(1f);
        two = scalar(2f);
        four = scalar(4f);
        six = scalar(6f);
        pixelCount = constants.create((double) plan.size() * plan.size());
        c256 = scalar(256f);
        sixOver255 = scalar(6f / 255f);
        hueOffsets = constants.create(new float[] {5f, 3f, 1f}, perChannel);
        solarizeThreshold = scalar(128f / 255f);
    }

    private NDArray scalar(float v) {
        return constants.create(v);
    }

    /** The plan this augmenter makes. */
    public DevicePlan plan() {
        return plan;
    }

    /** Samples the parameters for images {@code indices} of {@code epoch} (host only, cheap). */
    public BatchParams sample(int srcHeight, int srcWidth, long seed, int epoch, int[] indices) {
        return sampler.sample(srcHeight, srcWidth, seed, epoch, indices);
    }

    /**
     * The host half of a batch: packs the uint8 pixels of images {@code indices} into one direct buffer
     * and samples their parameters. Touches no NDArray, so it may run on another thread (e.g. to
     * prepare batch k+1 while batch k trains); safe to call concurrently.
     */
    public HostBatch prepare(ImageStore store, int[] indices, long seed, int epoch) {
        int h = store.height();
        int w = store.width();
        int c = store.channels();
        ByteBuffer buf = ByteBuffer.allocateDirect(indices.length * h * w * c).order(ByteOrder.nativeOrder());
        for (int index : indices) {
            buf.put(store.pixels(index));
        }
        buf.rewind();
        return new HostBatch(indices.clone(), epoch, h, w, c, buf, sample(h, w, seed, epoch, indices));
    }

    /**
     * Uploads a prepared batch (one host-to-device copy of the pixels) and makes its views.
     *
     * @param batch the caller's per-batch manager; the returned arrays are attached to it
     */
    public DeviceViews augment(HostBatch host, NDManager batch) {
        try (NDManager upload = batch.newSubManager()) {
            NDArray src = upload.create(host.pixels().duplicate(),
                    new Shape(host.indices().length, host.height(), host.width(), host.channels()), DataType.UINT8);
            return augment(src, host.params(), batch);
        }
    }

    /**
     * Uploads images {@code indices} of {@code store} once and makes their views
     * ({@link #prepare} then {@link #augment(HostBatch, NDManager)}).
     *
     * @param batch the caller's per-batch manager; the returned arrays are attached to it
     */
    public DeviceViews augment(ImageStore store, int[] indices, long seed, int epoch, NDManager batch) {
        return augment(prepare(store, indices, seed, epoch), batch);
    }

    /**
     * Makes all views of a batch.
     *
     * @param src    uint8 (B, H, W, C) images with C = 1 (grey, repeated to RGB) or 3, on the device
     * @param params parameters from {@link #sample} for this batch
     * @param batch  the caller's per-batch manager; the returned arrays are attached to it and every
     *               intermediate is released before returning
     */
    public DeviceViews augment(NDArray src, BatchParams params, NDManager batch) {
        Shape shape = src.getShape();
        if (shape.dimension() != 4 || (shape.get(3) != 1 && shape.get(3) != 3)) {
            throw new IllegalArgumentException("expected uint8 (B, H, W, 1|3) images, got " + shape);
        }
        int n = (int) shape.get(0);
        if (n != params.batchSize() || shape.get(1) != params.srcHeight() || shape.get(2) != params.srcWidth()) {
            throw new IllegalArgumentException("parameters for " + params.batchSize() + " images of "
                    + params.srcHeight() + "x" + params.srcWidth() + " do not match images " + shape);
        }
        List<DeviceViewRecipe> recipes = plan.views();
        List<NDArray> outputs = new ArrayList<>();
        try (NDManager work = batch.newSubManager()) {
            NDArray srcFloat;
            try (NDManager convert = work.newSubManager()) {
                NDArray f = src.toType(DataType.FLOAT32, false);
                f.attach(convert);
                srcFloat = f.transpose(0, 3, 1, 2); // (B, C, H, W), values 0..255
                srcFloat.attach(work);
            }
            NDArray[] unnormalised = new NDArray[recipes.size()];
            for (int v = 0; v < recipes.size(); v++) {
                DeviceViewRecipe recipe = recipes.get(v);
                ViewParams vp = params.views().get(v);
                try (NDManager tmp = work.newSubManager()) {
                    NDArray in = recipe.fromSource() ? srcFloat : unnormalised[plan.indexOf(recipe.source())];
                    in.tempAttach(tmp);
                    NDArray x = recipe.fromSource() ? cropResize(in, vp, tmp) : in;
                    x = colour(x, vp, tmp);
                    if (x == in) {
                        x = in.duplicate();
                    }
                    NDArray normalised = x.sub(mean).div(std);
                    normalised.attach(batch);
                    outputs.add(normalised);
                    if (isSource(recipe.name())) {
                        x.attach(work);
                        unnormalised[v] = x;
                    }
                }
            }
        }
        return new DeviceViews(plan.viewNames(), outputs, params);
    }

    private boolean isSource(String name) {
        return plan.views().stream().anyMatch(r -> name.equals(r.source()));
    }

    /** Crop + resize + flip of (B, C, H, W) in [0,255] to (B, 3, S, S) in [0, 1]. */
    private NDArray cropResize(NDArray src, ViewParams p, NDManager tmp) {
        int n = p.n;
        int s = plan.size();
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
            NDArray rows = src64.matMul(wxT.toType(DataType.FLOAT64, false)).add(half).floor().clip(0, 255);
            x = wyArr.toType(DataType.FLOAT64, false).matMul(rows).add(half).floor()
                    .toType(DataType.FLOAT32, false).div(c255);
        } else {
            x = src.matMul(wxT);
            x = wyArr.matMul(x).div(c255);
        }
        if (x.getShape().get(1) == 1) {
            x = x.repeat(1, 3);
        }
        return x.clip(0, 1);
    }

    /** ColorJitter (4 rounds), grayscale, blur and solarize on (B, 3, S, S) in [0, 1]. */
    private NDArray colour(NDArray x, ViewParams p, NDManager tmp) {
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
            table[COL_SOLARIZE * n + i] = p.solarize[i] ? 1f : 0f;
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
                            m = luma.mul(c255).round().sum(new int[] {3}, true).sum(new int[] {2}, true)
                                    .toType(DataType.FLOAT64, false).div(pixelCount).add(half).floor()
                                    .toType(DataType.FLOAT32, false).div(c255);
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
                    NDArray x255 = x.mul(c255).round();
                    NDArray d255 = degenerate == null ? null : degenerate.mul(c255).round();
                    NDArray blended = d255 == null ? x255.mul(f) : x255.sub(d255).mul(f).add(d255);
                    x = blended.floor().clip(0, 255).div(c255);
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
        if (p.anyBlur()) {
            x = blur(x, p, tmp);
        }
        if (p.anySolarize()) {
            NDArray above = x.gte(solarizeThreshold).toType(DataType.FLOAT32, false);
            NDArray inverted = x.mul(two).neg().add(one); // 1 - 2x: adding it to x gives 1 - x
            x = x.add(inverted.mul(above).mul(column(t, COL_SOLARIZE, n)));
        }
        return x;
    }

    /** Row {@code col} of the parameter table as a (B, 1, 1, 1) per-sample value. */
    private static NDArray column(NDArray table, int col, int n) {
        return table.get(col).reshape(n, 1, 1, 1);
    }

    /** Pillow's L conversion, (B, 1, S, S), rounded like the uint8 L image when quantising. */
    private NDArray luma(NDArray x) {
        NDArray l = x.mul(lumaWeights).sum(new int[] {1}, true);
        return quantize ? roundHalfUp(l) : l;
    }

    private NDArray roundHalfUp(NDArray x) {
        return x.mul(c255).add(half).floor().div(c255);
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
        NDArray h = hexconeHue(x, maxc, delta.add(eps)); // in sixths, [-1, 5)
        NDArray k = h.add(steps.mul(sixOver255)).add(hueOffsets).mod(six);
        NDArray ramp = k.minimum(k.neg().add(four)).clip(0, 1);
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
        NDArray x255 = x.mul(c255).round(); // the uint8 values, float32
        NDArray maxc = x255.max(new int[] {1}, true);
        NDArray chroma = maxc.sub(x255.min(new int[] {1}, true));
        NDArray dist = maxc.sub(x255).div(chroma.clip(1, 255)); // float rc, gc, bc (grey pixels: 0)
        NDArray sat = chroma.div(maxc.clip(1, 255)); // float s
        NDArray rc = dist.get(new NDIndex(":, 0:1"));
        NDArray gc = dist.get(new NDIndex(":, 1:2"));
        NDArray bc = dist.get(new NDIndex(":, 2:3"));
        NDArray hr = bc.sub(gc);
        NDArray hg = rc.toType(f64, false).add(two).sub(bc.toType(f64, false)).toType(f32, false);
        NDArray hb = gc.toType(f64, false).add(four).sub(rc.toType(f64, false)).toType(f32, false);
        NDArray h = NDArrays.where(x255.get(new NDIndex(":, 0:1")).eq(maxc), hr,
                NDArrays.where(x255.get(new NDIndex(":, 1:2")).eq(maxc), hg, hb));
        NDArray hFrac = h.toType(f64, false).div(six).add(one).mod(one).toType(f32, false);
        NDArray h8 = hFrac.toType(f64, false).mul(c255).floor();
        NDArray s8 = sat.toType(f64, false).mul(c255).floor();
        NDArray hh = h8.add(steps.toType(f64, false)).mod(c256).mul(six).div(c255); // [0, 6]
        NDArray sector = hh.floor();
        NDArray frac = hh.sub(sector).toType(f32, false).toType(f64, false);
        NDArray fs = s8.div(c255).toType(f32, false).toType(f64, false);
        // Channel n in (5, 3, 1) takes x = clamp(min(k, 4 - k), 0, 1), k = ((n + sector) mod 6) + frac,
        // which is 0, 1, f or 1 - f exactly as Pillow's p, q, t selection.
        NDArray k = sector.add(hueOffsets).mod(six).add(frac);
        NDArray ramp = k.minimum(k.neg().add(four)).clip(0, 1);
        NDArray v = maxc.toType(f64, false);
        NDArray out = v.mul(fs.mul(ramp).neg().add(one)).add(half).floor();
        return out.toType(f32, false).div(c255).clip(0, 1);
    }

    /** Pillow's hexcone hue in sixths of the circle, in [-1, 5), from channel values and chroma. */
    private NDArray hexconeHue(NDArray x, NDArray maxc, NDArray chroma) {
        NDArray dist = maxc.sub(x).div(chroma); // (max - c) / chroma for c = r, g, b
        NDArray rc = dist.get(new NDIndex(":, 0:1"));
        NDArray gc = dist.get(new NDIndex(":, 1:2"));
        NDArray bc = dist.get(new NDIndex(":, 2:3"));
        NDArray hr = bc.sub(gc);
        NDArray hg = rc.sub(bc).add(two);
        NDArray hb = gc.sub(rc).add(four);
        return NDArrays.where(x.get(new NDIndex(":, 0:1")).eq(maxc), hr,
                NDArrays.where(x.get(new NDIndex(":, 1:2")).eq(maxc), hg, hb));
    }

    /**
     * Per-sample Pillow GaussianBlur (identity for samples not blurred). With {@code quantize}, Pillow's
     * six box passes (three along x, then three along y) each followed by uint8 rounding, as six
     * batched matrix products; otherwise their combined operator, {@code K @ x @ K^T}.
     */
    private NDArray blur(NDArray x, ViewParams p, NDManager tmp) {
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
        NDArray y = x.mul(c255).round().toType(DataType.FLOAT64, false);
        for (int pass = 0; pass < BoxBlurWeights.PASSES; pass++) {
            y = y.matMul(kT64).add(half).floor(); // along x (within rows), rounded to uint8
        }
        for (int pass = 0; pass < BoxBlurWeights.PASSES; pass++) {
            y = k64.matMul(y).add(half).floor(); // along y
        }
        return y.toType(DataType.FLOAT32, false).div(c255).clip(0, 1);
    }

    @Override
    public void close() {
        constants.close();
    }
}
