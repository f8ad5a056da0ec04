package org.selfsup.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;

/** Factories for the DJL layers the models are built from, with PyTorch hyper-parameters. */
final class Layers {
    private Layers() {}

    /** PyTorch BatchNorm eps. */
    static final float BN_EPS = 1e-5f;
    /**
     * DJL's BatchNorm momentum is the weight of the OLD running value (the PyTorch engine passes
     * {@code 1 - momentum} to {@code torch.batch_norm}, see {@code PtNDArrayEx.batchNorm}), so PyTorch's
     * momentum 0.1 is 0.9 here.
     */
    static final float BN_MOMENTUM_DJL = 0.9f;

    static Conv2d conv(int filters, int kernel, int stride, int padding) {
        return Conv2d.builder()
                .setFilters(filters)
                .setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(padding, padding))
                .optBias(false)
                .build();
    }

    /** BatchNorm over axis 1 (channels of NCHW, features of NC); {@code affine=false} freezes gamma 1 / beta 0. */
    static BatchNorm batchNorm(boolean affine) {
        return BatchNorm.builder()
                .optAxis(1)
                .optEpsilon(BN_EPS)
                .optMomentum(BN_MOMENTUM_DJL)
                .optCenter(affine)
                .optScale(affine)
                .build();
    }

    static Linear linear(int out, boolean bias) {
        return Linear.builder().setUnits(out).optBias(bias).build();
    }

    static Block relu() {
        return Activation.reluBlock();
    }

    static Block maxPool3x3s2() {
        return Pool.maxPool2dBlock(new Shape(3, 3), new Shape(2, 2), new Shape(1, 1));
    }

    /** AdaptiveAvgPool2d(1) + flatten: N x C x H x W to N x C. */
    static Block globalAvgPool() {
        return new SequentialBlock().add(Pool.globalAvgPool2dBlock()).add(Blocks.batchFlattenBlock());
    }
}
