package org.selfsup.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.util.List;

/**
 * PyTorch {@code torch.optim.SGD}: {@code d = g + wd · p} on every parameter (BN and biases included, as
 * in the RSA single-GPU and DSSL code), then the momentum step of {@link MomentumOptimizer}.
 */
public final class Sgd extends MomentumOptimizer {
    private final boolean decay;

    public Sgd(List<Parameter> params, NDManager manager, double momentum, boolean nesterov,
               double weightDecay) {
        super(params, manager, momentum, nesterov, weightDecay);
        this.decay = weightDecay != 0;
    }

    /**
     * {@code g + wd · p}, accumulated into the gradient array itself (it is zeroed right after the
     * step), so the only temporary is {@code wd · p}; with no weight decay the gradient is the direction,
     * as in PyTorch, which also skips the term when {@code weight_decay == 0}.
     */
    @Override
    protected NDArray direction(NDArray w, NDArray g, NDManager t) {
        if (!decay) {
            return g;
        }
        try (NDArray wd = w.mul(weightDecayC)) {
            return g.addi(wd);
        }
    }
}
