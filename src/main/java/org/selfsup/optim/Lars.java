package org.selfsup.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.util.List;

/**
 * LARS exactly as RSA's {@code common/lars.py} (methods.md §2.8). For a parameter with more than one
 * dimension: {@code d = g + wd · p}, then {@code d ← q · d} with the trust ratio
 * {@code q = trust · ||p|| / ||d||} (q = 1 if either norm is 0). Parameters with at most one dimension
 * (biases, BN weights) get neither decay nor trust scaling: {@code d = g}. Then the momentum step, with no
 * learning-rate clipping. The ratio is computed on the device (no host sync).
 */
public final class Lars extends MomentumOptimizer {
    private final NDArray trustC;

    /**
     * @param trust trust coefficient (0.001 in RSA's code)
     */
    public Lars(List<Parameter> params, NDManager manager, double momentum, boolean nesterov,
                double weightDecay, double trust) {
        super(params, manager, momentum, nesterov, weightDecay);
        this.trustC = scalar(trust);
    }

    /** LARS with RSA's trust coefficient 0.001. */
    public Lars(List<Parameter> params, NDManager manager, double momentum, double weightDecay) {
        this(params, manager, momentum, false, weightDecay, 0.001);
    }

    @Override
    protected NDArray direction(NDArray w, NDArray g, NDManager t) {
        if (w.getShape().dimension() <= 1) {
            return g;
        }
        NDArray d = tmp(t, g.add(tmp(t, w.mul(weightDecayC))));
        NDArray pn = tmp(t, w.norm());
        NDArray dn = tmp(t, d.norm());
        NDArray ok = tmp(t, tmp(t, pn.gt(zeroC)).logicalAnd(tmp(t, dn.gt(zeroC))));
        NDArray ratio = tmp(t, tmp(t, pn.mul(trustC)).div(dn));
        NDArray q = tmp(t, NDArrays.where(ok, ratio, oneC));
        return tmp(t, d.mul(q));
    }
}
