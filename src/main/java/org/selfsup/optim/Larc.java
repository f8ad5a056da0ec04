package org.selfsup.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.util.List;

/**
 * LARC (NVIDIA apex, {@code clip=False}) around PyTorch SGD, as in DSSL's ImageNet linear probe
 * (methods.md §3.4). For every parameter with non-zero {@code ||p||} and {@code ||g||}:
 * {@code d = (g + wd · p) · trust · ||p|| / (||g|| + wd · ||p|| + eps)}; otherwise {@code d = g} (no
 * decay: apex zeroes the inner optimiser's weight decay). Then the momentum step.
 */
public final class Larc extends MomentumOptimizer {
    /** apex's denominator guard. */
    public static final double EPS = 1e-8;

    private final NDArray trustC;
    private final NDArray epsC;

    /**
     * @param trust trust coefficient (0.001 in DSSL)
     * @param eps   denominator guard (1e-8 in apex)
     */
    public Larc(List<Parameter> params, NDManager manager, double momentum, boolean nesterov,
                double weightDecay, double trust, double eps) {
        super(params, manager, momentum, nesterov, weightDecay);
        this.trustC = scalar(trust);
        this.epsC = scalar(eps);
    }

    /** LARC with DSSL's trust 0.001 and apex's eps 1e-8. */
    public Larc(List<Parameter> params, NDManager manager, double momentum, double weightDecay) {
        this(params, manager, momentum, false, weightDecay, 0.001, EPS);
    }

    @Override
    protected NDArray direction(NDArray w, NDArray g, NDManager t) {
        NDArray pn = tmp(t, w.norm());
        NDArray gn = tmp(t, g.norm());
        NDArray denom = tmp(t, tmp(t, gn.add(tmp(t, pn.mul(weightDecayC)))).add(epsC));
        NDArray adaptive = tmp(t, tmp(t, pn.mul(trustC)).div(denom));
        NDArray ok = tmp(t, tmp(t, pn.gt(zeroC)).logicalAnd(tmp(t, gn.gt(zeroC))));
        // 0-d factors chosen on the device: (adaptive, wd) when both norms are non-zero, else (1, 0)
        NDArray factor = tmp(t, NDArrays.where(ok, adaptive, oneC));
        NDArray decay = tmp(t, NDArrays.where(ok, weightDecayC, zeroC));
        return tmp(t, tmp(t, g.add(tmp(t, w.mul(decay)))).mul(factor));
    }
}
