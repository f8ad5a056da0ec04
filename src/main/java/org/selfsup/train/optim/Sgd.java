package org.selfsup.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.util.List;

/**
 * PyTorch {@code torch.optim.SGD}: {@code d = g + wd · p} on every parameter (BN and biases included, as
 * in the RSA single-GPU and DSSL code), then the momentum step of {@link MomentumOptimizer}.
 */
public final class Sgd extends MomentumOptimizer {
    public Sgd(List<Parameter> params, NDManager manager, double momentum, boolean nesterov,
               double weightDecay) {
        super(params, manager, momentum, nesterov, weightDecay);
    }

    @Override
    protected NDArray direction(NDArray w, NDArray g, NDManager t) {
        return tmp(t, g.add(tmp(t, w.mul(weightDecayC))));
    }
}
