package org.selfsup.augment.device;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
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
    private final DevicePlan plan;
    private final ParamSampler sampler;
    private final NDManager constantsManager;
    private final DeviceConstants consts;
    private final SpatialOps spatial;
    private final ColourOps colour;

    /**
     * @param plan      the views to make
     * @param norm      per-channel normalisation applied last
     * @param manager   a manager on the target device; constants go into a sub-manager of it
     * @param quantize  emulate the CPU path's uint8 arithmetic (see the class comment)
     */
    public DeviceAugmenter(DevicePlan plan, Normalization norm, NDManager manager, boolean quantize) {
        this.plan = plan;
        this.sampler = new ParamSampler(plan);
        this.constantsManager = manager.newSubManager();
        this.consts = new DeviceConstants(constantsManager, norm, plan.size());
        this.spatial = new SpatialOps(consts, quantize, plan.size());
        this.colour = new ColourOps(consts, quantize);
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
                    NDArray x = recipe.fromSource() ? spatial.cropResize(in, vp, tmp) : in;
                    x = colour.jitterAndGray(x, vp, tmp);
                    if (vp.anyBlur()) {
                        x = spatial.blur(x, vp, tmp);
                    }
                    if (vp.anySolarize()) {
                        x = colour.solarize(x, vp, tmp);
                    }
                    if (x == in) {
                        x = in.duplicate();
                    }
                    NDArray normalised = x.sub(consts.mean).div(consts.std);
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





    





    @Override
    public void close() {
        constantsManager.close();
    }
}
