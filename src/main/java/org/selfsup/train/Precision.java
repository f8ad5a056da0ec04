package org.selfsup.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.util.List;
import java.util.function.Supplier;
import org.selfsup.model.Networks;
import org.selfsup.natives.AutocastScope;
import org.selfsup.natives.LibTorch;
import org.selfsup.natives.ScalarType;
import org.selfsup.optim.Optimizer;
import org.selfsup.util.UserException;

/**
 * The arithmetic of the forward passes ({@code precision: fp32|bf16|fp16}), as one object plugged into
 * the {@link StepRunner}.
 *
 * <ul>
 *   <li>fp32: nothing changes.</li>
 *   <li>bf16 / fp16: every network call ({@link Networks#features}, {@code project}, {@code predict},
 *   {@code targetProject}) runs in its own autocast region on the training thread, and its result is
 *   upcast to float32 (a differentiable multiplication by a float32 one) before the method sees it. So
 *   the loss arithmetic runs in float32 outside autocast, while convolutions and linear layers run in
 *   16 bit. A {@link #stepRegion()} around the whole step keeps autocast's cache of 16-bit weight copies
 *   for the step's forward passes and clears it when the step's forward part ends.</li>
 *   <li>fp16 also scales the loss ({@link LossScaler}, GradScaler semantics): the optimiser comes from
 *   {@link #optimizer} and the step's precision from {@link #withLossScaling}.</li>
 * </ul>
 * Weights, gradients, optimiser state, EMA target, BatchNorm statistics and checkpoints stay float32:
 * autocast casts copies, never the parameters.
 */
public final class Precision {
    /** The settings of {@code precision}. */
    public enum Kind {
        FP32, BF16, FP16;

        /** The configuration value (fp32, bf16, fp16). */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** Parses a configuration value. */
        public static Kind parse(String s) {
            for (Kind k : values()) {
                if (k.label().equals(s)) {
                    return k;
                }
            }
            throw new UserException("precision: unknown value '" + s + "' (fp32, bf16, fp16)");
        }
    }

    private static final Precision FP32 = new Precision(Kind.FP32, null, LibTorch.DEVICE_CPU);

    private final Kind kind;
    private final LibTorch torch;
    private final int deviceType;
    private LossScaler scaler; // set once, by withLossScaling on a fresh instance

    private Precision(Kind kind, LibTorch torch, int deviceType) {
        this.kind = kind;
        this.torch = torch;
        this.deviceType = deviceType;
    }

    /** Full float32 (the default). */
    public static Precision fp32() {
        return FP32;
    }

    /**
     * The precision {@code name} on {@code device}.
     *
     * @throws UserException for an unknown name or when the loaded libtorch lacks autocast
     */
    public static Precision of(String name, Device device) {
        Kind k = Kind.parse(name);
        if (k == Kind.FP32) {
            return FP32;
        }
        LibTorch torch = LibTorch.get();
        int type = device.isGpu() ? LibTorch.DEVICE_CUDA : LibTorch.DEVICE_CPU;
        torch.isAutocastEnabled(type); // fails now, naming the symbol, if this libtorch has no autocast
        return new Precision(k, torch, type);
    }

    public Kind kind() {
        return kind;
    }

    /** Whether forward passes run under autocast (bf16, fp16). */
    public boolean autocasts() {
        return kind != Kind.FP32;
    }

    private ScalarType dtype() {
        return kind == Kind.BF16 ? ScalarType.BFLOAT16 : ScalarType.FLOAT16;
    }

    /**
     * The region of one step's forward part (close it before backward). Autocast regions opened inside
     * share one cache of 16-bit weight copies, cleared on close (the optimiser then changes the weights).
     */
    public Region stepRegion() {
        if (!autocasts()) {
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
        return autocasts() ? new AutocastNetworks(nets) : nets;
    }

    /**
     * Runs {@code forward} in an autocast region and upcasts its result to float32 (fp32: just runs it).
     * Used for every network call of a step, and by evaluation: features are computed at the training
     * precision and compared in float32.
     */
    public NDArray forward(Supplier<NDArray> forward) {
        if (!autocasts()) {
            return forward.get();
        }
        NDArray y;
        try (AutocastScope s = AutocastScope.open(torch, deviceType, dtype())) {
            y = forward.get();
        }
        return toFloat32(y);
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

    /**
     * The optimiser for precision {@code name}: fp16 wraps {@code inner} in a {@link ScaledOptimizer} with
     * a fresh {@link LossScaler} (its state then travels with the optimiser's, into checkpoints);
     * otherwise {@code inner} itself.
     */
    public static Optimizer optimizer(String name, Optimizer inner, List<Parameter> params, NDManager manager) {
        if (Kind.parse(name) != Kind.FP16) {
            return inner;
        }
        return new ScaledOptimizer(inner, new LossScaler(manager), params, manager);
    }

    /**
     * This precision scaling the loss with {@code opt}'s scaler: required for fp16, where {@code opt} must
     * come from {@link #optimizer}; other precisions return themselves.
     */
    public Precision withLossScaling(Optimizer opt) {
        if (kind != Kind.FP16) {
            return this;
        }
        if (!(opt instanceof ScaledOptimizer so)) {
            throw new IllegalArgumentException("fp16 needs the optimiser from Precision.optimizer (a loss scaler)");
        }
        Precision p = new Precision(kind, torch, deviceType);
        p.scaler = so.scaler();
        return p;
    }

    /** The loss scaler (fp16 after {@link #withLossScaling}), or null. */
    public LossScaler scaler() {
        return scaler;
    }

    /**
     * The array to back-propagate: the loss, times the loss scale with fp16.
     *
     * @throws IllegalStateException if an autocast loss is not float32 (libtorch aborts the process on
     *                               backward through a 16-bit loss, so refuse it here)
     */
    public NDArray lossForBackward(NDArray loss) {
        if (autocasts() && torch.dtype(loss) != ScalarType.FLOAT32) {
            throw new IllegalStateException("the " + kind.label() + " loss is " + torch.dtype(loss)
                    + ", not float32: a network output reached the loss without the float32 upcast");
        }
        return scaler == null ? loss : scaler.scale(loss);
    }

    /** Autocast per network call, float32 results. */
    private final class AutocastNetworks implements Networks {
        private final Networks inner;

        AutocastNetworks(Networks inner) {
            this.inner = inner;
        }

        private NDArray run(Supplier<NDArray> f) {
            return forward(f);
        }

        @Override
        public NDArray features(NDArray x) {
            return run(() -> inner.features(x));
        }

        @Override
        public NDArray project(NDArray x) {
            return run(() -> inner.project(x));
        }

        @Override
        public NDArray predict(NDArray z) {
            return run(() -> inner.predict(z));
        }

        @Override
        public NDArray targetProject(NDArray x) {
            return run(() -> inner.targetProject(x));
        }

        @Override
        public NDArray constant(float value, NDArray like) {
            return inner.constant(value, like);
        }
    }
}
