package org.selfsup.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * An optimiser whose steps first clip the gradients' global L2 norm, as PyTorch's
 * {@code torch.nn.utils.clip_grad_norm_(params, max_norm)}: {@code total = ||(||g_1||, ..., ||g_n||)||},
 * {@code c = min(max_norm / (total + 1e-6), 1)}, every gradient multiplied by {@code c} in place (also when
 * {@code c} is 1, as PyTorch does). All on the device. Under fp16 loss scaling it sits inside the
 * {@code ScaledOptimizer}, so it sees unscaled gradients; a step the scaler skips is skipped by the inner
 * optimiser whatever the clipped gradients hold. Its state is the inner optimiser's.
 */
public final class GradClipping implements Optimizer {
    private final Optimizer inner;
    private final List<Parameter> params;
    private final NDManager manager;
    private final NDArray maxNorm;
    private final NDArray guard;
    private final NDArray one;

    /**
     * @param inner   the optimiser over {@code params}
     * @param params  the parameters whose gradients are clipped
     * @param maxNorm the largest global norm (positive)
     * @param manager manager on the parameters' device
     */
    public GradClipping(Optimizer inner, List<Parameter> params, double maxNorm, NDManager manager) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("max norm must be positive: " + maxNorm);
        }
        this.inner = inner;
        this.params = List.copyOf(params);
        this.manager = manager.newSubManager();
        this.maxNorm = this.manager.create((float) maxNorm);
        this.guard = this.manager.create(1e-6f);
        this.one = this.manager.create(1f);
    }

    /** Clips the gradients in place; returns their global norm before clipping (attached to {@code t}). */
    NDArray clip(NDManager t) {
        List<NDArray> grads = new ArrayList<>();
        NDList norms = new NDList();
        for (Parameter p : params) {
            NDArray g = p.getArray().getGradient();
            g.attach(t);
            grads.add(g);
            NDArray n = g.norm();
            n.attach(t);
            norms.add(n);
        }
        NDArray stacked = NDArrays.stack(norms);
        stacked.attach(t);
        NDArray total = stacked.norm();
        total.attach(t);
        // PyTorch: max_norm / (total + 1e-6) is (total + 1e-6).reciprocal() * max_norm
        NDArray coef = total.add(guard);
        coef.attach(t);
        NDArray r = one.div(coef);
        r.attach(t);
        NDArray scaled = r.mul(maxNorm);
        scaled.attach(t);
        NDArray clamped = scaled.minimum(one);
        clamped.attach(t);
        for (NDArray g : grads) {
            g.muli(clamped);
        }
        return total;
    }

    /** The gradients' global norm now (without clipping; for tests and diagnostics), read to the host. */
    public float norm() {
        try (NDManager t = manager.newSubManager()) {
            NDList norms = new NDList();
            for (Parameter p : params) {
                NDArray g = p.getArray().getGradient();
                g.attach(t);
                NDArray n = g.norm();
                n.attach(t);
                norms.add(n);
            }
            NDArray s = NDArrays.stack(norms);
            s.attach(t);
            return s.norm().getFloat();
        }
    }

    @Override
    public void step(double lr) {
        try (NDManager t = manager.newSubManager()) {
            clip(t);
            inner.step(lr);
        }
    }

    @Override
    public void step(NDArray lr) {
        try (NDManager t = manager.newSubManager()) {
            clip(t);
            inner.step(lr);
        }
    }

    @Override
    public void step(NDArray lr, NDArray apply) {
        try (NDManager t = manager.newSubManager()) {
            clip(t);
            inner.step(lr, apply);
        }
    }

    @Override
    public void zeroGrad() {
        inner.zeroGrad();
    }

    @Override
    public void save(DataOutputStream out) throws IOException {
        inner.save(out);
    }

    @Override
    public void load(DataInputStream in) throws IOException {
        inner.load(in);
    }

    @Override
    public void close() {
        try {
            inner.close();
        } finally {
            manager.close();
        }
    }
}
