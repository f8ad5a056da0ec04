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

/**
 * PyTorch's SGD momentum step, shared by {@link Sgd}, {@link Lars} and {@link Larc}, which differ only in
 * how they turn a gradient into the update direction {@code d}:
 * <pre>
 *   buf = momentum · buf + d
 *   p  -= lr · (nesterov ? d + momentum · buf : buf)
 * </pre>
 * (no dampening; with a zero-initialised buffer the first step gives {@code buf = d}, as PyTorch's
 * {@code clone(d)}). The learning rate is NOT folded into the buffer, unlike DJL's own {@code Sgd}.
 *
 * <p>All arithmetic stays on the device: scalar constants are created once (the learning-rate scalar
 * only when the rate changes), temporaries of one parameter's update live in a sub-manager closed right
 * after it, and nothing is read back to the host.
 */
public abstract class MomentumOptimizer implements Optimizer {
    private final List<Parameter> params;
    private final NDManager manager;
    private final boolean nesterov;
    private final NDArray[] buffers;
    /** Momentum as a device scalar. */
    protected final NDArray momentumC;
    /** Weight decay as a device scalar. */
    protected final NDArray weightDecayC;
    /** 0 and 1 as device scalars, for masks. */
    protected final NDArray zeroC;
    protected final NDArray oneC;
    private NDArray lrC;
    private double lastLr = Double.NaN;

    /**
     * @param params      parameters to update (trainable only; never BN running statistics)
     * @param manager     manager on the parameters' device; owns the optimiser state
     * @param momentum    momentum factor (0 = plain SGD)
     * @param nesterov    Nesterov momentum
     * @param weightDecay L2 weight decay, interpreted by the subclass
     */
    protected MomentumOptimizer(List<Parameter> params, NDManager manager, double momentum,
                                boolean nesterov, double weightDecay) {
        if (momentum < 0 || weightDecay < 0) {
            throw new IllegalArgumentException("momentum and weight decay must be >= 0");
        }
        this.params = List.copyOf(params);
        this.manager = manager.newSubManager();
        this.nesterov = nesterov;
        this.momentumC = scalar(momentum);
        this.weightDecayC = scalar(weightDecay);
        this.zeroC = scalar(0);
        this.oneC = scalar(1);
        this.buffers = new NDArray[this.params.size()];
        for (int i = 0; i < buffers.length; i++) {
            NDArray w = this.params.get(i).getArray();
            buffers[i] = this.manager.zeros(w.getShape(), w.getDataType(), w.getDevice());
        }
    }

    /** A float32 0-d constant on the optimiser's device. */
    protected final NDArray scalar(double v) {
        return manager.create((float) v);
    }

    /**
     * The update direction for parameter {@code w} with gradient {@code g}. Every array it creates must
     * be attached to {@code tmp} (use {@code tmp(...)}), which is closed after the parameter's update.
     *
     * @param w   the parameter value
     * @param g   its gradient (attached to {@code tmp})
     * @param tmp sub-manager for temporaries
     */
    protected abstract NDArray direction(NDArray w, NDArray g, NDManager tmp);

    /** Attaches {@code a} to {@code tmp} and returns it: result arrays of ops go to the first operand's manager. */
    protected static NDArray tmp(NDManager tmp, NDArray a) {
        a.attach(tmp);
        return a;
    }

    @Override
    public void step(double lr) {
        if (lr != lastLr) {
            if (lrC != null) {
                lrC.close();
            }
            lrC = scalar(lr);
            lastLr = lr;
        }
        step(lrC);
    }

    @Override
    public void step(NDArray lrC) {
        for (int i = 0; i < buffers.length; i++) {
            NDArray w = params.get(i).getArray();
            try (NDManager t = manager.newSubManager()) {
                NDArray g = tmp(t, w.getGradient());
                NDArray d = direction(w, g, t);
                NDArray buf = buffers[i];
                buf.muli(momentumC).addi(d);
                NDArray update = nesterov ? tmp(t, d.add(tmp(t, buf.mul(momentumC)))) : buf;
                w.subi(tmp(t, update.mul(lrC)));
            }
        }
    }

    /**
     * The step masked on the device: {@code buf} and {@code p} change only where {@code apply} is true,
     * through {@code where} so that a non-finite gradient of a skipped step cannot reach them (0 · inf would
     * be NaN). No host read.
     */
    @Override
    public void step(NDArray lrC, NDArray apply) {
        for (int i = 0; i < buffers.length; i++) {
            NDArray w = params.get(i).getArray();
            try (NDManager t = manager.newSubManager()) {
                NDArray g = tmp(t, w.getGradient());
                NDArray d = direction(w, g, t);
                NDArray stepped = tmp(t, buffers[i].mul(momentumC)).addi(d);
                NDArray cond = tmp(t, apply.broadcast(w.getShape())); // DJL's where does not broadcast
                NDArray buf = NDArrays.where(cond, stepped, buffers[i]);
                buf.attach(manager);
                buffers[i].close();
                buffers[i] = buf;
                NDArray update = nesterov ? tmp(t, d.add(tmp(t, buf.mul(momentumC)))) : buf;
                w.subi(tmp(t, NDArrays.where(cond, tmp(t, update.mul(lrC)), tmp(t, zeroC.broadcast(w.getShape())))));
            }
        }
    }

    @Override
    public void zeroGrad() {
        Optimizer.zeroGradients(params);
    }

    @Override
    public void save(DataOutputStream out) throws IOException {
        out.writeUTF(getClass().getSimpleName());
        out.writeInt(buffers.length);
        for (NDArray b : buffers) {
            byte[] bytes = b.encode();
            out.writeInt(bytes.length);
            out.write(bytes);
        }
    }

    @Override
    public void load(DataInputStream in) throws IOException {
        String kind = in.readUTF();
        if (!kind.equals(getClass().getSimpleName())) {
            throw new IOException("optimiser state is for " + kind + ", not " + getClass().getSimpleName());
        }
        int n = in.readInt();
        if (n != buffers.length) {
            throw new IOException("optimiser state has " + n + " buffers, expected " + buffers.length);
        }
        for (int i = 0; i < n; i++) {
            byte[] bytes = new byte[in.readInt()];
            in.readFully(bytes);
            NDArray loaded = NDArray.decode(manager, bytes);
            if (!loaded.getShape().equals(buffers[i].getShape())
                    || loaded.getDataType() != buffers[i].getDataType()) {
                String got = loaded.getShape() + " " + loaded.getDataType();
                loaded.close();
                throw new IOException("optimiser buffer " + i + " is " + got + ", expected "
                        + buffers[i].getShape() + " " + buffers[i].getDataType());
            }
            NDArray onDevice = loaded.toDevice(buffers[i].getDevice(), false);
            if (onDevice != loaded) {
                onDevice.attach(manager);
                loaded.close();
            }
            buffers[i].close();
            buffers[i] = onDevice;
        }
    }

    /** The momentum buffer of parameter {@code i} (for tests and diagnostics). */
    public NDArray buffer(int i) {
        return buffers[i];
    }

    @Override
    public void close() {
        manager.close();
    }

    /** Element type used for masks. */
    protected static final DataType FLOAT = DataType.FLOAT32;
}
