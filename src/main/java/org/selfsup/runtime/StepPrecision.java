package org.selfsup.runtime;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.util.List;
import org.selfsup.optim.Optimizer;

/**
 * A training step's {@link Precision}: the {@link Autocast} of its forward passes and the optimiser that
 * applies its gradients, made together. With fp16 the optimiser is a {@link ScaledOptimizer} and the loss
 * is multiplied by the scale of the same {@link LossScaler} that the optimiser divides the gradients by;
 * building both in one call is what guarantees they share it. Owns the optimiser (closing this closes it).
 */
public final class StepPrecision implements AutoCloseable {
    private final Autocast autocast;
    private final Optimizer optimizer;
    private final LossScaler scaler;

    private StepPrecision(Autocast autocast, Optimizer optimizer, LossScaler scaler) {
        this.autocast = autocast;
        this.optimizer = optimizer;
        this.scaler = scaler;
    }

    /**
     * The step at {@code precision} on {@code device}, taking ownership of {@code inner} (closed here if
     * this fails).
     *
     * @param inner   the configured optimiser over {@code params}
     * @param params  the trainable parameters (whose gradients fp16 unscales)
     * @param manager the model's device manager (the loss scaler's state lives under it)
     * @throws org.selfsup.util.UserException when the loaded libtorch cannot autocast
     */
    public static StepPrecision create(Precision precision, Device device, Optimizer inner, List<Parameter> params,
                                       NDManager manager) {
        try {
            Autocast autocast = Autocast.of(precision, device);
            if (!precision.scalesLoss()) {
                return new StepPrecision(autocast, inner, null);
            }
            LossScaler scaler = new LossScaler(manager);
            return new StepPrecision(autocast, new ScaledOptimizer(inner, scaler, params, manager), scaler);
        } catch (RuntimeException e) {
            inner.close();
            throw e;
        }
    }

    /** Full float32 stepping with {@code optimizer} (which it then owns). */
    public static StepPrecision fp32(Optimizer optimizer) {
        return new StepPrecision(Autocast.none(), optimizer, null);
    }

    /** The precision. */
    public Precision precision() {
        return autocast.precision();
    }

    /** The forward passes. */
    public Autocast autocast() {
        return autocast;
    }

    /** The optimiser to step: the configured one, behind the loss scaler with fp16. */
    public Optimizer optimizer() {
        return optimizer;
    }

    /** The loss scaler (fp16), or null. */
    public LossScaler scaler() {
        return scaler;
    }

    /**
     * The array to back-propagate: the loss, times the loss scale with fp16.
     *
     * @throws IllegalStateException if an autocast loss is not float32 (see {@link Autocast#requireFloat32})
     */
    public NDArray lossForBackward(NDArray loss) {
        autocast.requireFloat32(loss);
        return scaler == null ? loss : scaler.scale(loss);
    }

    /** Closes the optimiser (and with it the loss scaler). */
    @Override
    public void close() {
        optimizer.close();
    }
}
