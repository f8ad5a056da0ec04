package org.selfsup.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import org.selfsup.optim.Optimizer;

/**
 * An optimiser behind a {@link LossScaler} (fp16 training): each step unscales the gradients, applies the
 * inner optimiser's step only if they are all finite (decided on the device) and updates the scale.
 * Its saved state is the inner optimiser's followed by the scaler's, so checkpoints carry the scale.
 */
public final class ScaledOptimizer implements Optimizer {
    private final Optimizer inner;
    private final LossScaler scaler;
    private final List<Parameter> params;
    private final NDManager manager;

    /**
     * @param inner   the optimiser over {@code params}
     * @param scaler  the loss scaler whose scale multiplied the back-propagated loss
     * @param params  the parameters whose gradients are unscaled (the inner optimiser's)
     * @param manager device manager for per-step temporaries
     */
    public ScaledOptimizer(Optimizer inner, LossScaler scaler, List<Parameter> params, NDManager manager) {
        this.inner = inner;
        this.scaler = scaler;
        this.params = List.copyOf(params);
        this.manager = manager;
    }

    /** The scaler. */
    public LossScaler scaler() {
        return scaler;
    }

    @Override
    public void step(double lr) {
        try (NDManager sm = manager.newSubManager(); NDArray lrC = sm.create((float) lr)) {
            step(lrC);
        }
    }

    @Override
    public void step(NDArray lr) {
        try (NDManager sm = manager.newSubManager()) {
            NDArray apply = scaler.unscale(params, sm);
            inner.step(lr, apply);
            scaler.update(apply, sm);
        }
    }

    @Override
    public void step(NDArray lr, NDArray apply) {
        throw new UnsupportedOperationException("a scaled optimiser decides itself whether to apply a step");
    }

    @Override
    public void zeroGrad() {
        inner.zeroGrad();
    }

    @Override
    public void save(DataOutputStream out) throws IOException {
        inner.save(out);
        scaler.save(out);
    }

    @Override
    public void load(DataInputStream in) throws IOException {
        inner.load(in);
        scaler.load(in);
    }

    /** Closes the inner optimiser and the scaler. */
    @Override
    public void close() {
        try {
            inner.close();
        } finally {
            scaler.close();
        }
    }
}
