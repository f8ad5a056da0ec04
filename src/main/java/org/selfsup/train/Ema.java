package org.selfsup.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.List;

/**
 * In-place exponential moving average of a target network towards the online one (methods.md §2.6,
 * §3.5): {@code xi ← tau · xi + (1 − tau) · theta} for every {@code {target, online}} pair, outside
 * gradient recording. Pairs cover trainable parameters only: BatchNorm running statistics are not
 * averaged (PyTorch loops over {@code .parameters()}, which excludes buffers).
 */
public final class Ema implements AutoCloseable {
    private final List<NDArray[]> pairs;
    private final NDManager manager;

    /**
     * @param pairs   {@code {target, online}} arrays of identical shape, trainable parameters only
     * @param manager manager on the arrays' device (scalars and temporaries go into sub-managers of it)
     */
    public Ema(List<NDArray[]> pairs, NDManager manager) {
        for (NDArray[] p : pairs) {
            if (p.length != 2 || !p[0].getShape().equals(p[1].getShape())) {
                throw new IllegalArgumentException("EMA pairs must be {target, online} of equal shape");
            }
        }
        this.pairs = List.copyOf(pairs);
        this.manager = manager.newSubManager();
    }

    /**
     * Pairs target and online parameters of identically built blocks by traversal order, keeping only
     * trainable ones (so BN running mean/var are skipped).
     */
    public static List<NDArray[]> pairs(List<Parameter> target, List<Parameter> online) {
        if (target.size() != online.size()) {
            throw new IllegalArgumentException("target has " + target.size() + " parameters, online "
                    + online.size());
        }
        List<NDArray[]> out = new ArrayList<>();
        for (int i = 0; i < target.size(); i++) {
            Parameter t = target.get(i);
            Parameter o = online.get(i);
            if (t.getType() != o.getType()) {
                throw new IllegalArgumentException("parameter " + i + " differs: " + t.getName() + " vs "
                        + o.getName());
            }
            if (o.requiresGradient()) {
                out.add(new NDArray[] {t.getArray(), o.getArray()});
            }
        }
        return out;
    }

    /** Moves every target parameter towards its online parameter with rate {@code tau}. */
    public void update(double tau) {
        try (NDManager t = manager.newSubManager()) {
            update(t.create((float) tau), t.create((float) (1 - tau)));
        }
    }

    /**
     * As {@link #update(double)} with {@code tau} and {@code 1 - tau} as 0-d float32 arrays already on
     * the device (no host-to-device copy; see {@link DeviceSchedule}).
     */
    public void update(NDArray tauC, NDArray restC) {
        for (NDArray[] p : pairs) {
            // one temporary per pair, freed at once (not collected in the manager until the end)
            try (NDArray scaled = p[1].mul(restC)) {
                p[0].muli(tauC).addi(scaled);
            }
        }
    }

    /** Number of averaged parameter arrays. */
    public int size() {
        return pairs.size();
    }

    @Override
    public void close() {
        manager.close();
    }
}
