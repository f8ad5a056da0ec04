package org.selfsup.runtime;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.function.Supplier;
import org.selfsup.model.Networks;
import org.selfsup.natives.AutocastScope;
import org.selfsup.natives.LibTorch;
import org.selfsup.natives.ScalarType;
import org.selfsup.util.UserException;

/**
 * The forward passes of one {@link Precision} on one device, for training and evaluation alike.
 *
 * <ul>
 *   <li>fp32: nothing changes.</li>
 *   <li>bf16 / fp16: every network call ({@link Networks#features}, {@code project}, {@code predict},
 *   {@code targetProject}) runs in its own autocast region on the calling thread, and its result is
 *   upcast to float32 (a differentiable multiplication by a float32 one) before the method sees it. So
 *   the loss arithmetic runs in float32 outside autocast, while convolutions and linear layers run in
 *   16 bit. A {@link #stepRegion()} around a training step's forward part keeps autocast's cache of 16-bit
 *   weight copies for that step's forward passes and clears it when the forward part ends.</li>
 * </ul>
 * Autocast casts copies, never the parameters: weights, gradients and BatchNorm statistics stay float32.
 * fp16's loss scaling is not here but in {@link StepPrecision}, which only training needs.
 */
public final class Autocast {
    private static final Autocast NONE = new Autocast(Precision.FP32, null, LibTorch.DEVICE_CPU);

    private final Precision precision;
    private final LibTorch torch;
    private final int deviceType;

    private Autocast(Precision precision, LibTorch torch, int deviceType) {
        this.precision = precision;
        this.torch = torch;
        this.deviceType = deviceType;
    }

    /** Full float32: every method runs its argument unchanged. */
    public static Autocast none() {
        return NONE;
    }

    /**
     * The forward passes at {@code precision} on {@code device}.
     *
     * @throws UserException when bf16/fp16 is asked for and the loaded libtorch lacks autocast (naming
     *                       the missing symbol)
     */
    public static Autocast of(Precision precision, Device device) {
        if (!precision.autocasts()) {
            return NONE;
        }
        LibTorch torch = LibTorch.get();
        int type = device.isGpu() ? LibTorch.DEVICE_CUDA : LibTorch.DEVICE_CPU;
        torch.isAutocastEnabled(type); // fails now, naming the symbol, if this libtorch has no autocast
        return new Autocast(precision, torch, type);
    }

    /** The precision. */
    public Precision precision() {
        return precision;
    }

    /**
     * The region of one step's forward part (close it before backward). Autocast regions opened inside
     * share one cache of 16-bit weight copies, cleared on close (the optimiser then changes the weights).
     */
    public Region stepRegion() {
        if (!precision.autocasts()) {
            return () -> { };
        }
        AutocastScope s = AutocastScope.cacheRegion(torch);
        return s::close;
    }

    /** A region closed without checked exceptions. */
    @FunctionalInterface
    public interface Region extends AutoCloseable {
        @Override
        void close();
    }

    /** {@code nets} with each call autocast and upcast (fp32: {@code nets} itself). */
    public Networks wrap(Networks nets) {
        return precision.autocasts() ? new AutocastNetworks(nets) : nets;
    }

    /**
     * Runs {@code forward} in an autocast region and upcasts its result to float32 (fp32: just runs it).
     * Used for every network call of a step, and by evaluation: features are computed at the training
     * precision and compared in float32.
     */
    public NDArray forward(Supplier<NDArray> forward) {
        if (!precision.autocasts()) {
            return forward.get();
        }
        NDArray y;
        try (AutocastScope s = AutocastScope.open(torch, deviceType, precision.dtype())) {
            y = forward.get();
        }
        return toFloat32(y);
    }

    /**
     * Refuses a loss that is not float32 under autocast: libtorch aborts the process on backward through a
     * 16-bit loss, so the mistake (a network output that reached the loss without the upcast) must be an
     * exception here instead.
     *
     * @throws IllegalStateException if {@code loss} is not float32 under bf16/fp16
     */
    public void requireFloat32(NDArray loss) {
        if (precision.autocasts() && torch.dtype(loss) != ScalarType.FLOAT32) {
            throw new IllegalStateException("the " + precision.label() + " loss is " + torch.dtype(loss)
                    + ", not float32: a network output reached the loss without the float32 upcast");
        }
    }

    /**
     * {@code y} as float32, differentiably: {@code y · ones([1])}. The one must have a dimension: a 0-d
     * float32 operand does not promote a 16-bit tensor (PyTorch's type promotion ranks dimensioned
     * tensors first), and DJL's {@code toType} cuts the gradient. {@code ones} is filled on the device,
     * with no host copy.
     */
    static NDArray toFloat32(NDArray y) {
        try (NDArray one = y.getManager().ones(new Shape(1))) {
            return y.mul(one);
        }
    }

    /** Autocast per network call, float32 results. */
    private final class AutocastNetworks implements Networks {
        private final Networks inner;

        AutocastNetworks(Networks inner) {
            this.inner = inner;
        }

        @Override
        public NDArray features(NDArray x) {
            return forward(() -> inner.features(x));
        }

        @Override
        public NDArray project(NDArray x) {
            return forward(() -> inner.project(x));
        }

        @Override
        public NDArray predict(NDArray z) {
            return forward(() -> inner.predict(z));
        }

        @Override
        public NDArray targetProject(NDArray x) {
            return forward(() -> inner.targetProject(x));
        }

        @Override
        public NDArray constant(float value, NDArray like) {
            return inner.constant(value, like);
        }
    }
}
