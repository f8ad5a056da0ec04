package org.selfsup.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * PyTorch's {@code torch.optim.AdamW} (single-tensor form, {@code amsgrad=False}), the optimiser of the ViT
 * papers (DINO, MoCo v3, MAE), with their parameter groups: decoupled weight decay only on parameters with
 * more than one dimension, and never on a ViT's class token and position embeddings, so biases, LayerNorm
 * and BatchNorm weights, {@code cls_token} and {@code pos_embed} get none (timm's
 * {@code param_groups_weight_decay} with {@code no_weight_decay() = {pos_embed, cls_token}}). For step t:
 * <pre>
 *   p  = p · (1 − lr · wd)                       (decayed parameters only)
 *   m  = β1 · m + (1 − β1) · g
 *   v  = β2 · v + (1 − β2) · g · g
 *   p -= lr / (1 − β1^t) · m / (sqrt(v) / sqrt(1 − β2^t) + eps)
 * </pre>
 * The step counter and the bias corrections live on the device (float64, as PyTorch's Python floats), so a
 * step never reads back to the host; a step skipped by loss scaling leaves counter, moments and weights
 * exactly as they were. The state (both moments and the counter) is saved and restored bit-exactly.
 */
public final class AdamW implements Optimizer {
    /** PyTorch's default eps. */
    public static final double EPS = 1e-8;
    /** Parameter names that never get weight decay (besides every parameter of at most one dimension). */
    public static final Set<String> NO_DECAY = Set.of("cls_token", "pos_embed");

    private final List<Parameter> params;
    private final boolean[] decay;
    private final NDManager manager;
    private final NDArray[] m;
    private final NDArray[] v;
    private NDArray steps; // float64 0-d: steps applied so far
    private final NDArray beta1;
    private final NDArray beta2;
    private final NDArray oneMinusBeta1;
    private final NDArray oneMinusBeta2;
    private final NDArray eps;
    private final NDArray beta1D;
    private final NDArray beta2D;
    private final NDArray weightDecayD;
    private final NDArray oneD;
    private final NDArray zero;
    private final boolean anyDecay;
    private NDArray lrC;
    private double lastLr = Double.NaN;

    /**
     * @param params      the parameters (trainable only)
     * @param manager     manager on the parameters' device; owns the state
     * @param beta1       first-moment rate (0.9)
     * @param beta2       second-moment rate (0.999 in PyTorch; 0.95 in MAE and MoCo v3)
     * @param eps         denominator guard (1e-8)
     * @param weightDecay decoupled weight decay of the parameters {@link #decays} accepts
     */
    public AdamW(List<Parameter> params, NDManager manager, double beta1, double beta2, double eps,
                 double weightDecay) {
        if (beta1 < 0 || beta1 >= 1 || beta2 < 0 || beta2 >= 1 || eps < 0 || weightDecay < 0) {
            throw new IllegalArgumentException("AdamW needs betas in [0, 1) and non-negative eps and weight decay");
        }
        this.params = List.copyOf(params);
        this.manager = manager.newSubManager();
        this.decay = new boolean[this.params.size()];
        this.m = new NDArray[this.params.size()];
        this.v = new NDArray[this.params.size()];
        boolean any = false;
        for (int i = 0; i < m.length; i++) {
            Parameter p = this.params.get(i);
            NDArray w = p.getArray();
            decay[i] = weightDecay != 0 && decays(p);
            any |= decay[i];
            m[i] = this.manager.zeros(w.getShape(), w.getDataType(), w.getDevice());
            v[i] = this.manager.zeros(w.getShape(), w.getDataType(), w.getDevice());
        }
        this.anyDecay = any;
        this.steps = this.manager.create(0.0);
        this.beta1 = this.manager.create((float) beta1);
        this.beta2 = this.manager.create((float) beta2);
        this.oneMinusBeta1 = this.manager.create((float) (1 - beta1));
        this.oneMinusBeta2 = this.manager.create((float) (1 - beta2));
        this.eps = this.manager.create((float) eps);
        this.beta1D = this.manager.create(beta1);
        this.beta2D = this.manager.create(beta2);
        this.weightDecayD = this.manager.create(weightDecay);
        this.oneD = this.manager.create(1.0);
        this.zero = this.manager.create(0f);
    }

    /**
     * Whether a parameter gets weight decay: more than one dimension (so no bias, no LayerNorm or BatchNorm
     * weight) and not a ViT's class token or position embeddings.
     */
    public static boolean decays(Parameter p) {
        return p.getArray().getShape().dimension() > 1 && !NO_DECAY.contains(p.getName());
    }

    /** Whether parameter {@code i} of the list gets weight decay. */
    public boolean decays(int i) {
        return decay[i];
    }

    @Override
    public void step(double lr) {
        if (lr != lastLr) {
            if (lrC != null) {
                lrC.close();
            }
            lrC = manager.create((float) lr);
            lastLr = lr;
        }
        step(lrC);
    }

    @Override
    public void step(NDArray lr) {
        update(lr, null);
    }

    @Override
    public void step(NDArray lr, NDArray apply) {
        update(lr, apply);
    }

    private static NDArray tmp(NDManager t, NDArray a) {
        a.attach(t);
        return a;
    }

    /** One step; with {@code apply} (0-d boolean) only where it is true, decided on the device. */
    private void update(NDArray lr, NDArray apply) {
        try (NDManager t = manager.newSubManager()) {
            NDArray increment = apply == null ? oneD : tmp(t, apply.toType(DataType.FLOAT64, false));
            steps.addi(increment);
            NDArray lr64 = tmp(t, lr.toType(DataType.FLOAT64, false));
            NDArray bc1 = tmp(t, oneD.sub(tmp(t, beta1D.pow(steps))));
            NDArray bc2 = tmp(t, oneD.sub(tmp(t, beta2D.pow(steps))));
            NDArray stepSize = tmp(t, tmp(t, lr64.div(bc1)).toType(DataType.FLOAT32, false));
            NDArray bc2Sqrt = tmp(t, tmp(t, bc2.sqrt()).toType(DataType.FLOAT32, false));
            NDArray keep = anyDecay ? tmp(t, tmp(t, oneD.sub(tmp(t, lr64.mul(weightDecayD))))
                    .toType(DataType.FLOAT32, false)) : null;
            if (keep != null && apply != null) {
                keep = tmp(t, NDArrays.where(apply, keep, tmp(t, keep.onesLike()))); // x 1 when skipped: exact
            }
            for (int i = 0; i < m.length; i++) {
                NDArray w = params.get(i).getArray();
                try (NDManager s = t.newSubManager()) {
                    NDArray g = tmp(s, w.getGradient());
                    if (decay[i]) {
                        w.muli(keep);
                    }
                    if (apply == null) {
                        m[i].muli(beta1).addi(tmp(s, g.mul(oneMinusBeta1)));
                        v[i].muli(beta2).addi(tmp(s, tmp(s, g.mul(oneMinusBeta2)).mul(g)));
                    } else {
                        NDArray cond = tmp(s, apply.broadcast(w.getShape())); // DJL's where does not broadcast
                        m[i] = replace(m[i], NDArrays.where(cond, tmp(s, tmp(s, m[i].mul(beta1))
                                .addi(tmp(s, g.mul(oneMinusBeta1)))), m[i]));
                        v[i] = replace(v[i], NDArrays.where(cond, tmp(s, tmp(s, v[i].mul(beta2))
                                .addi(tmp(s, tmp(s, g.mul(oneMinusBeta2)).mul(g)))), v[i]));
                    }
                    NDArray denom = tmp(s, tmp(s, tmp(s, v[i].sqrt()).div(bc2Sqrt)).add(eps));
                    NDArray u = tmp(s, tmp(s, m[i].div(denom)).mul(stepSize));
                    if (apply != null) {
                        NDArray cond = tmp(s, apply.broadcast(w.getShape()));
                        u = tmp(s, NDArrays.where(cond, u, tmp(s, zero.broadcast(w.getShape()))));
                    }
                    w.subi(u);
                }
            }
        }
    }

    private NDArray replace(NDArray old, NDArray fresh) {
        fresh.attach(manager);
        old.close();
        return fresh;
    }

    @Override
    public void zeroGrad() {
        Optimizer.zeroGradients(params);
    }

    @Override
    public void save(DataOutputStream out) throws IOException {
        out.writeUTF(getClass().getSimpleName());
        out.writeInt(m.length);
        for (int i = 0; i < m.length; i++) {
            write(out, m[i]);
            write(out, v[i]);
        }
        write(out, steps);
    }

    private static void write(DataOutputStream out, NDArray a) throws IOException {
        byte[] bytes = a.encode();
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    @Override
    public void load(DataInputStream in) throws IOException {
        String kind = in.readUTF();
        if (!kind.equals(getClass().getSimpleName())) {
            throw new IOException("optimiser state is for " + kind + ", not " + getClass().getSimpleName());
        }
        int n = in.readInt();
        if (n != m.length) {
            throw new IOException("optimiser state has " + n + " parameters, expected " + m.length);
        }
        for (int i = 0; i < n; i++) {
            m[i] = read(in, m[i], "first moment " + i);
            v[i] = read(in, v[i], "second moment " + i);
        }
        steps = read(in, steps, "step counter");
    }

    private NDArray read(DataInputStream in, NDArray like, String what) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        NDArray loaded = NDArray.decode(manager, bytes);
        if (!loaded.getShape().equals(like.getShape()) || loaded.getDataType() != like.getDataType()) {
            String got = loaded.getShape() + " " + loaded.getDataType();
            loaded.close();
            throw new IOException("optimiser " + what + " is " + got + ", expected " + like.getShape() + " "
                    + like.getDataType());
        }
        NDArray onDevice = loaded.toDevice(like.getDevice(), false);
        if (onDevice != loaded) {
            onDevice.attach(manager);
            loaded.close();
        }
        like.close();
        return onDevice;
    }

    /** The first and second moments of parameter {@code i} (for tests and diagnostics). */
    public NDArray[] moments(int i) {
        return new NDArray[] {m[i], v[i]};
    }

    @Override
    public void close() {
        manager.close();
    }
}
