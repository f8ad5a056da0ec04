package org.selfsup.model;

/**
 * Sizes of a {@link ModelSpec}'s networks computed from the spec alone, without building them: parameter
 * counts and the activations one image leaves for the backward pass. Used to refuse a configuration whose
 * training cannot fit in memory before anything is allocated (a {@code --width 100000} model asked for
 * 360 GB at once).
 */
public final class ModelSize {
    private ModelSize() {}

    /** Parameters of the backbone (convolutions and BatchNorm affine weights, as {@link ResNet} builds it). */
    public static long backboneParameters(ModelSpec spec) {
        long w = spec.width();
        int k = spec.cifarStem() ? 3 : 7;
        long params = 3 * w * k * k + 2 * w;
        int expansion = spec.bottleneck() ? 4 : 1;
        long in = w;
        for (int stage = 0; stage < spec.blocks().size(); stage++) {
            long planes = w << stage;
            long out = planes * expansion;
            for (int i = 0; i < spec.blocks().get(stage); i++) {
                boolean strided = stage > 0 && i == 0;
                if (spec.bottleneck()) {
                    params += in * planes + 2 * planes + planes * planes * 9 + 2 * planes + planes * out + 2 * out;
                } else {
                    params += in * planes * 9 + 2 * planes + planes * planes * 9 + 2 * planes;
                }
                if (strided || in != out) {
                    params += in * out + 2 * out; // 1x1 conv + BN shortcut
                }
                in = out;
            }
        }
        return params;
    }

    /** Parameters of a head (linear layers with their biases, affine BatchNorm) fed {@code in} features. */
    public static long headParameters(HeadSpec head, long in) {
        long params = 0;
        for (HeadSpec.Layer l : head.layers()) {
            params += in * l.out() + (l.bias() ? l.out() : 0) + (l.norm() == HeadSpec.Norm.AFFINE ? 2L * l.out() : 0);
            in = l.out();
        }
        return params;
    }

    /** Backbone + projector (the part an EMA target copies). */
    public static long encoderParameters(ModelSpec spec) {
        long p = backboneParameters(spec);
        return spec.projector() == null ? p : p + headParameters(spec.projector(), spec.featureDim());
    }

    /** Backbone + projector + predictor (the online network). */
    public static long onlineParameters(ModelSpec spec) {
        long p = encoderParameters(spec);
        return spec.predictor() == null ? p : p + headParameters(spec.predictor(), spec.projector().outDim());
    }

    /**
     * Values one image of side {@code size} leaves for the backward pass, counting two tensors per
     * convolution: its output (BatchNorm's backward needs it) and its BatchNorm's output (the ReLU's or the
     * residual sum's). A lower bound: ReLU outputs (DJL's ReLU is not in place), gradients in flight and
     * allocator slack come on top. Measured on the CPU for the small ResNet, RSA, 28 px: the peak grows by
     * 1.06 MB per extra view against 0.58 MB counted here ({@code bench step} at batch 64 and 1024).
     */
    public static long activationsPerImage(ModelSpec spec, int size) {
        long s = spec.cifarStem() ? size : half(half(size)); // 7x7 stride-2 conv, then 3x3 stride-2 max-pool
        long w = spec.width();
        long values = w * (spec.cifarStem() ? s * s : (long) half(size) * half(size));
        int expansion = spec.bottleneck() ? 4 : 1;
        long in = w;
        for (int stage = 0; stage < spec.blocks().size(); stage++) {
            long planes = w << stage;
            long out = planes * expansion;
            for (int i = 0; i < spec.blocks().get(stage); i++) {
                boolean strided = stage > 0 && i == 0;
                long before = s;
                if (strided) {
                    s = half((int) s);
                }
                long area = s * s;
                values += spec.bottleneck() ? planes * before * before + planes * area + out * area
                        : 2 * planes * area;
                if (strided || in != out) {
                    values += out * area;
                }
                in = out;
            }
        }
        return 2 * values;
    }

    private static int half(long size) {
        return (int) ((size + 1) / 2);
    }
}
