package org.selfsup.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Sizes of a {@link ModelSpec}'s networks computed from the spec alone, without building them: parameter
 * counts and the activations one image leaves for the backward pass. Used to refuse a configuration whose
 * training cannot fit in memory before anything is allocated (a {@code --width 100000} model asked for
 * 360 GB at once).
 */
public final class ModelSize {
    private ModelSize() {}

    /** One residual block: input and bottleneck widths, output width, whether it halves the side. */
    private record Block(long in, long planes, long out, boolean strided) {
        boolean projects() {
            return strided || in != out; // 1x1 conv + BN shortcut
        }
    }

    /** The residual blocks of the backbone in order, as {@link ResNet} builds them. */
    private static List<Block> blocks(ModelSpec spec) {
        List<Block> out = new ArrayList<>();
        int expansion = spec.bottleneck() ? 4 : 1;
        long in = spec.width();
        for (int stage = 0; stage < spec.blocks().size(); stage++) {
            long planes = (long) spec.width() << stage;
            for (int i = 0; i < spec.blocks().get(stage); i++) {
                out.add(new Block(in, planes, planes * expansion, stage > 0 && i == 0));
                in = planes * expansion;
            }
        }
        return out;
    }

    /**
     * Parameters of the backbone (ResNets: convolutions and BatchNorm affine weights, as {@link ResNet} builds
     * it). A ViT's position embeddings depend on the image size: here they are counted for a one-patch grid,
     * a lower bound; {@link #backboneParameters(ModelSpec, int)} counts them exactly.
     */
    public static long backboneParameters(ModelSpec spec) {
        if (spec.vit()) {
            return vitParameters(spec, 1);
        }
        long w = spec.width();
        int k = spec.cifarStem() ? 3 : 7;
        long params = 3 * w * k * k + 2 * w;
        for (Block b : blocks(spec)) {
            long in = b.in();
            long p = b.planes();
            params += spec.bottleneck() ? in * p + 2 * p + p * p * 9 + 2 * p + p * b.out() + 2 * b.out()
                    : in * p * 9 + 2 * p + p * p * 9 + 2 * p;
            if (b.projects()) {
                params += in * b.out() + 2 * b.out();
            }
        }
        return params;
    }

    /** Parameters of the backbone built for images of side {@code size} (a ViT's position grid from it). */
    public static long backboneParameters(ModelSpec spec, int size) {
        return spec.vit() ? vitParameters(spec, size / spec.patchSize()) : backboneParameters(spec);
    }

    /**
     * A ViT's parameters as {@link VisionTransformer} builds it: patch embedding {@code 3 p^2 D + D}, class
     * token {@code D}, position embeddings {@code (1 + g^2) D}, per block two LayerNorms {@code 4D}, qkv
     * {@code 3D^2 + 3D}, projection {@code D^2 + D}, MLP {@code 8D^2 + 5D}, and the final LayerNorm {@code 2D}.
     */
    private static long vitParameters(ModelSpec spec, long grid) {
        long d = spec.width();
        long p = spec.patchSize();
        long perBlock = 12 * d * d + 13 * d;
        return 3 * p * p * d + d + d + (1 + grid * grid) * d + spec.depth() * perBlock + 2 * d;
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
        if (spec.vit()) {
            return vitActivationsPerImage(spec, size);
        }
        // CIFAR stem at full size; ImageNet stem: 7x7 stride-2 conv, then a 3x3 stride-2 max-pool
        long s = spec.cifarStem() ? size : half(half(size));
        long stem = spec.cifarStem() ? (long) size * size : (long) half(size) * half(size);
        long values = spec.width() * stem;
        for (Block b : blocks(spec)) {
            long before = s;
            if (b.strided()) {
                s = half(s);
            }
            long area = s * s;
            values += spec.bottleneck() ? b.planes() * before * before + b.planes() * area + b.out() * area
                    : 2 * b.planes() * area;
            if (b.projects()) {
                values += b.out() * area;
            }
        }
        return 2 * values;
    }

    /**
     * Values of the stem convolution's output for one image of side {@code size}: a tensor that exists in any
     * forward pass, even without gradients (a lower bound of what inference needs at once besides the input).
     */
    public static long stemActivations(ModelSpec spec, int size) {
        if (spec.vit()) {
            long g = size / spec.patchSize();
            return (g * g + 1) * spec.width(); // the embedded tokens
        }
        long stem = spec.cifarStem() ? (long) size * size : (long) half(size) * half(size);
        return spec.width() * stem;
    }

    /**
     * A ViT's values per image kept for the backward pass, with {@code L} tokens (patches + class token),
     * width {@code D} and {@code H} heads: the embedded tokens {@code LD}, then per block the LayerNorm input
     * and output {@code 2LD}, q, k, v {@code 3LD}, attention scores and probabilities {@code 2HL^2} (plain
     * operations: no fused attention), the attention output {@code LD}, the second LayerNorm's output
     * {@code LD} and the MLP's hidden activations before and after GELU {@code 8LD}, i.e.
     * {@code 15LD + 2HL^2}; and the final LayerNorm's input {@code LD}. A lower bound, as for the ResNets.
     */
    private static long vitActivationsPerImage(ModelSpec spec, int size) {
        long g = size / spec.patchSize();
        long len = g * g + 1;
        long d = spec.width();
        long perBlock = 15 * len * d + 2L * spec.heads() * len * len;
        return len * d + spec.depth() * perBlock + len * d;
    }

    private static int half(long size) {
        return (int) ((size + 1) / 2);
    }
}
