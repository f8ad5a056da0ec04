package org.selfsup.runtime;

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
 * Dynamic loss scaling for float16 training with the semantics of PyTorch's {@code torch.amp.GradScaler}
 * (defaults: initial scale 2^16, growth factor 2 after 2,000 consecutive finite steps, backoff factor 0.5,
 * optimiser step skipped when any gradient is inf or NaN).
 *
 * <p>Everything happens on the device, without a host read: the scale, the growth tracker and the count of
 * skipped steps are 0-d float32 arrays updated in place, the inf/NaN check is {@code sum(g · 0)} over
 * every gradient (0 when all are finite, NaN otherwise), and the skip is a device-side mask handed to
 * {@link org.selfsup.optim.Optimizer#step(NDArray, NDArray)}. (PyTorch's own GradScaler reads
 * {@code found_inf} back once per step for ordinary optimisers; this one does not.) The values are read on
 * logged steps and saved in checkpoints.
 */
public final class LossScaler implements AutoCloseable {
    /** PyTorch's defaults. */
    public static final double INIT_SCALE = 65536.0;
    public static final double GROWTH_FACTOR = 2.0;
    public static final double BACKOFF_FACTOR = 0.5;
    public static final int GROWTH_INTERVAL = 2000;

    private final NDManager manager;
    private final NDArray scale;
    private final NDArray tracker;
    private final NDArray skipped;
    private final NDArray zero;
    private final NDArray one;
    private final NDArray growth;
    private final NDArray backoff;
    private final NDArray interval;

    /** A scaler with PyTorch's defaults, its state on {@code parent}'s device. */
    public LossScaler(NDManager parent) {
        this(parent, INIT_SCALE, GROWTH_FACTOR, BACKOFF_FACTOR, GROWTH_INTERVAL);
    }

    /** A scaler with explicit settings (tests use a short growth interval). */
    public LossScaler(NDManager parent, double initScale, double growthFactor, double backoffFactor,
                      int growthInterval) {
        if (initScale <= 0 || growthFactor <= 1 || backoffFactor <= 0 || backoffFactor >= 1 || growthInterval < 1) {
            throw new IllegalArgumentException("bad loss-scaler settings");
        }
        this.manager = parent.newSubManager();
        this.scale = manager.create((float) initScale);
        this.tracker = manager.create(0f);
        this.skipped = manager.create(0f);
        this.zero = manager.create(0f);
        this.one = manager.create(1f);
        this.growth = manager.create((float) growthFactor);
        this.backoff = manager.create((float) backoffFactor);
        this.interval = manager.create((float) growthInterval);
    }

    /** {@code loss · scale}, the array to back-propagate (attached to {@code loss}'s manager). */
    public NDArray scale(NDArray loss) {
        return loss.mul(scale);
    }

    /**
     * Divides every gradient by the scale in place and checks them: returns a 0-d boolean on the device,
     * true when every gradient is finite (the step may be applied). Temporaries go to {@code sm}.
     */
    public NDArray unscale(List<Parameter> params, NDManager sm) {
        NDArray inv = attach(sm, one.div(scale));
        NDArray check = attach(sm, zero.duplicate());
        for (Parameter p : params) {
            try (NDArray g = p.getArray().getGradient()) {
                g.muli(inv);
                try (NDArray times0 = g.mul(zero); NDArray s = times0.sum()) {
                    check.addi(s); // finite · 0 = 0; inf · 0 and NaN · 0 are NaN, which then sticks
                }
            }
        }
        return attach(sm, attach(sm, check.isNaN()).logicalNot());
    }

    /**
     * GradScaler's update: after a skipped step the scale is multiplied by the backoff factor and the
     * tracker reset; after {@code growth-interval} consecutive applied steps it is multiplied by the growth
     * factor (if the result is finite) and the tracker reset.
     *
     * @param applied what {@link #unscale} returned for this step
     */
    public void update(NDArray applied, NDManager sm) {
        NDArray found = attach(sm, attach(sm, applied.logicalNot()).toType(DataType.FLOAT32, false));
        NDArray next = attach(sm, tracker.add(one));
        NDArray grow = attach(sm, attach(sm, next.gte(interval)).logicalAnd(applied));
        NDArray grown = attach(sm, scale.mul(growth));
        NDArray growOk = attach(sm, grow.logicalAnd(attach(sm, grown.isInfinite()).logicalNot()));
        NDArray factor = attach(sm, NDArrays.where(applied, attach(sm, NDArrays.where(growOk, growth, one)), backoff));
        scale.muli(factor);
        // tracker = applied && !grow ? tracker + 1 : 0
        NDArray keep = attach(sm, attach(sm, applied.logicalAnd(attach(sm, grow.logicalNot())))
                .toType(DataType.FLOAT32, false));
        tracker.addi(one).muli(keep);
        skipped.addi(found);
    }

    /** A copy of the current scale in {@code sm} (for the metrics line; reading it syncs). */
    public NDArray scaleArray(NDManager sm) {
        return attach(sm, scale.duplicate());
    }

    /** A copy of the number of skipped steps in {@code sm}. */
    public NDArray skippedArray(NDManager sm) {
        return attach(sm, skipped.duplicate());
    }

    /** The current scale (host read). */
    public double scaleValue() {
        return scale.getFloat();
    }

    /** Consecutive applied steps since the last change of scale (host read). */
    public int trackerValue() {
        return (int) tracker.getFloat();
    }

    /** Steps skipped so far (host read). */
    public long skippedValue() {
        return (long) skipped.getFloat();
    }

    /** Writes scale, growth tracker and skipped count. */
    public void save(DataOutputStream out) throws IOException {
        out.writeUTF("LossScaler");
        out.writeFloat(scale.getFloat());
        out.writeFloat(tracker.getFloat());
        out.writeFloat(skipped.getFloat());
    }

    /** Restores what {@link #save} wrote. */
    public void load(DataInputStream in) throws IOException {
        String kind = in.readUTF();
        if (!"LossScaler".equals(kind)) {
            throw new IOException("expected loss-scaler state, found '" + kind + "'");
        }
        float s = in.readFloat();
        float t = in.readFloat();
        float k = in.readFloat();
        if (!(s > 0) || Float.isInfinite(s) || t < 0 || k < 0) {
            throw new IOException("bad loss-scaler state (scale " + s + ", tracker " + t + ")");
        }
        set(scale, s);
        set(tracker, t);
        set(skipped, k);
    }

    private void set(NDArray target, float v) {
        try (NDArray c = manager.create(v)) {
            target.muli(zero).addi(c);
        }
    }

    private static NDArray attach(NDManager sm, NDArray a) {
        a.attach(sm);
        return a;
    }

    @Override
    public void close() {
        manager.close();
    }
}
