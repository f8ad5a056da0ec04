package org.selfsup.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.norm.BatchNorm;
import java.util.List;

/**
 * torchvision-style ResNet backbones (BasicBlock or Bottleneck v1.5, 1x1 conv + BN shortcut when the
 * stride or width changes) ending in global average pooling: input N x 3 x H x W, output N x D.
 *
 * <p>Built from DJL blocks; DJL's basicmodelzoo ResNetV1 is not used because its small-image stem
 * lacks BN/ReLU and it appends a classifier.
 */
public final class ResNet {
    private ResNet() {}

    /** Builds the backbone a spec describes, recording each layer's init rule in {@code plan}. */
    static Block build(ModelSpec spec, InitPlan plan) {
        boolean torchvision = spec.init().equals(ModelSpec.INIT_TORCHVISION);
        InitPlan.Rule convRule = torchvision ? InitPlan.Rule.KAIMING_FAN_OUT : InitPlan.Rule.UNIFORM_FAN_IN;
        SequentialBlock net = new SequentialBlock();
        int width = spec.width();
        if (spec.cifarStem()) {
            // RSA replaces torchvision's conv1 by a fresh 3x3 conv, which keeps PyTorch's default init.
            net.add(plan.with(Layers.conv(width, 3, 1, 1), InitPlan.Rule.UNIFORM_FAN_IN));
            net.add(plan.with(Layers.batchNorm(true), InitPlan.Rule.BATCH_NORM));
            net.add(Layers.relu());
        } else {
            net.add(plan.with(Layers.conv(width, 7, 2, 3), convRule));
            net.add(plan.with(Layers.batchNorm(true), InitPlan.Rule.BATCH_NORM));
            net.add(Layers.relu());
            net.add(Layers.maxPool3x3s2());
        }
        int expansion = spec.bottleneck() ? 4 : 1;
        int inChannels = width;
        List<Integer> blocks = spec.blocks();
        for (int stage = 0; stage < blocks.size(); stage++) {
            int planes = width << stage;
            for (int i = 0; i < blocks.get(stage); i++) {
                int stride = (stage > 0 && i == 0) ? 2 : 1;
                boolean project = stride != 1 || inChannels != planes * expansion;
                Block branch = spec.bottleneck()
                        ? bottleneckBranch(planes, stride, convRule, spec.zeroInitResidual(), plan)
                        : basicBranch(planes, stride, convRule, spec.zeroInitResidual(), plan);
                net.add(residual(branch, project ? shortcut(planes * expansion, stride, convRule, plan)
                        : Blocks.identityBlock()));
                inChannels = planes * expansion;
            }
        }
        net.add(Layers.globalAvgPool());
        return net;
    }

    private static Block basicBranch(int planes, int stride, InitPlan.Rule convRule, boolean zeroInit,
                                     InitPlan plan) {
        return new SequentialBlock()
                .add(plan.with(Layers.conv(planes, 3, stride, 1), convRule))
                .add(plan.with(Layers.batchNorm(true), InitPlan.Rule.BATCH_NORM))
                .add(Layers.relu())
                .add(plan.with(Layers.conv(planes, 3, 1, 1), convRule))
                .add(lastBn(zeroInit, plan));
    }

    private static Block bottleneckBranch(int planes, int stride, InitPlan.Rule convRule, boolean zeroInit,
                                          InitPlan plan) {
        // torchvision v1.5: the stride sits on the 3x3 conv.
        return new SequentialBlock()
                .add(plan.with(Layers.conv(planes, 1, 1, 0), convRule))
                .add(plan.with(Layers.batchNorm(true), InitPlan.Rule.BATCH_NORM))
                .add(Layers.relu())
                .add(plan.with(Layers.conv(planes, 3, stride, 1), convRule))
                .add(plan.with(Layers.batchNorm(true), InitPlan.Rule.BATCH_NORM))
                .add(Layers.relu())
                .add(plan.with(Layers.conv(planes * 4, 1, 1, 0), convRule))
                .add(lastBn(zeroInit, plan));
    }

    private static BatchNorm lastBn(boolean zeroInit, InitPlan plan) {
        return plan.with(Layers.batchNorm(true),
                zeroInit ? InitPlan.Rule.BATCH_NORM_ZERO : InitPlan.Rule.BATCH_NORM);
    }

    private static Block shortcut(int channels, int stride, InitPlan.Rule convRule, InitPlan plan) {
        return new SequentialBlock()
                .add(plan.with(Layers.conv(channels, 1, stride, 0), convRule))
                .add(plan.with(Layers.batchNorm(true), InitPlan.Rule.BATCH_NORM));
    }

    /** relu(branch(x) + shortcut(x)). */
    private static Block residual(Block branch, Block shortcut) {
        return new ParallelBlock(outs -> {
            NDArray sum = outs.get(0).singletonOrThrow().add(outs.get(1).singletonOrThrow());
            return new NDList(Activation.relu(sum));
        }, List.of(branch, shortcut));
    }
}
