package org.selfsup.model;

import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;

/** Builds projector/predictor heads: per layer {@code Linear -> BatchNorm1d? -> ReLU?}, PyTorch init. */
public final class Mlp {
    private Mlp() {}

    static Block build(HeadSpec spec, InitPlan plan) {
        SequentialBlock net = new SequentialBlock();
        for (HeadSpec.Layer layer : spec.layers()) {
            net.add(plan.with(Layers.linear(layer.out(), layer.bias()), InitPlan.Rule.UNIFORM_FAN_IN));
            if (layer.norm() != HeadSpec.Norm.NONE) {
                net.add(plan.with(Layers.batchNorm(layer.norm() == HeadSpec.Norm.AFFINE), InitPlan.Rule.BATCH_NORM));
            }
            if (layer.relu()) {
                net.add(Layers.relu());
            }
        }
        return net;
    }
}
