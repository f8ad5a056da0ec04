package org.selfsup.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import org.selfsup.util.UserException;

/**
 * A Vision Transformer backbone as timm's {@code VisionTransformer} (and DINO's, MoCo v3's and MAE's
 * encoders) computes it: a patch embedding (a {@code p x p} stride-{@code p} convolution with bias), a class
 * token, learnable absolute position embeddings added to every token, {@code depth} pre-norm blocks
 * ({@code x + attn(norm1(x))}, then {@code x + mlp(norm2(x))}, LayerNorm eps 1e-6, multi-head self-attention
 * with one fused qkv projection with bias, MLP ratio 4 with exact (erf) GELU), a final LayerNorm, and the
 * pooled feature: the class token ({@code cls}) or the mean of the patch tokens ({@code mean}). No dropout
 * and no stochastic depth (every rate 0). Input N x 3 x H x W, output N x D.
 *
 * <p>Two options give MoCo v3's {@code VisionTransformerMoCo} ({@code vits.py} of its released code):
 * {@link ModelSpec#mocov3Init()} (xavier-uniform linears with qkv treated as three D x D matrices,
 * {@code U(+-sqrt(6 / (3 p^2 + D)))} for the patch projection, zero biases, class token N(0, 1e-6^2)) and
 * {@link ModelSpec#sincosPosEmbed()} (the fixed 2-D sin-cos table of {@link PositionEmbeddings#sincos2d}, frozen);
 * with {@link ModelSpec#frozenPatchEmbed()} ({@code --stop-grad-conv1}) the patch projection is frozen too.
 *
 * <p>Every parameter sits directly on this block under its timm name ({@code cls_token}, {@code pos_embed},
 * {@code patch_embed.proj.weight}, {@code blocks.3.attn.qkv.bias}, {@code norm.weight}, ...), in the order
 * of timm's {@code state_dict()}, so {@link TorchvisionNames} maps a ViT by stripping the model prefix.
 *
 * <p>The position embeddings are made for the grid of the image side the model is built at; an input of
 * another side gets them resized on the fly (the class token's kept) as timm's {@code dynamic_img_size}
 * does: bicubic, align_corners=False, antialiased (the only bicubic DJL's JNI offers, and timm's default;
 * DINO's {@code interpolate_pos_encoding} does not antialias); the resize is differentiable.
 *
 * <p>Tensors are cut with {@code split} (one op for q, k and v). It replaced DJL's integer indexing
 * ({@code get(0)}) when sporadic NaN gradients appeared in MethodsOnVitTest's RSA step; those were later traced
 * to Java-number operands freed before the backward pass (RSA's beta, the attention scale: see
 * {@link Scalars}), not to the indexing.
 *
 * <p>Attention is computed from plain DJL operations (two batched matrix products and a softmax), not
 * libtorch's fused {@code scaled_dot_product_attention}: DJL does not wrap it, and the only C-ABI forms
 * libtorch exports ({@code aoti_torch_cpu__scaled_dot_product_flash_attention_for_cpu}) call the CPU kernel
 * directly, outside autograd, so they could not train. The cost is the N x heads x L x L score and
 * probability tensors kept for the backward pass (counted by {@link ModelSize#activationsPerImage}).
 */
public final class VisionTransformer extends AbstractBlock {
    /** LayerNorm eps of timm's ViTs ({@code partial(nn.LayerNorm, eps=1e-6)}). */
    public static final float LN_EPS = 1e-6f;
    /** MLP hidden width = MLP_RATIO x width. */
    public static final int MLP_RATIO = 4;
    /**
     * DJL's interpolation mode for bicubic: libtorch's interpolate with align_corners=False and antialias=True
     * (DJL's JNI always asks for antialiasing; measured against PyTorch in PositionEmbeddingsTest).
     */
    private static final int BICUBIC = 3;

    private final int width;
    private final int heads;
    private final int patch;
    private final int grid;
    private final boolean meanPooling;
    private final boolean frozenPatchEmbed;
    private final boolean frozenPosEmbed;
    private final boolean xavier;
    private final Parameter clsToken;
    private final Parameter posEmbed;
    private final Parameter patchWeight;
    private final Parameter patchBias;
    private final List<Layer> layers = new ArrayList<>();
    private final Parameter normWeight;
    private final Parameter normBias;

    /** The parameters of one transformer block. */
    private record Layer(Parameter norm1W, Parameter norm1B, Parameter qkvW, Parameter qkvB, Parameter projW,
                         Parameter projB, Parameter norm2W, Parameter norm2B, Parameter fc1W, Parameter fc1B,
                         Parameter fc2W, Parameter fc2B) {}

    private VisionTransformer(ModelSpec spec, int grid, InitPlan plan) {
        super((byte) 1);
        this.width = spec.width();
        this.heads = spec.heads();
        this.patch = spec.patchSize();
        this.grid = grid;
        this.meanPooling = "mean".equals(spec.pooling());
        this.frozenPatchEmbed = spec.frozenPatchEmbed();
        this.frozenPosEmbed = spec.sincosPosEmbed();
        this.xavier = spec.mocov3Init();
        long d = width;
        long hidden = (long) MLP_RATIO * width;
        clsToken = param(plan, "cls_token", Parameter.Type.OTHER, new Shape(1, 1, d), InitPlan.Rule.NORMAL_1E6, 0);
        posEmbed = param(plan, "pos_embed", Parameter.Type.OTHER, new Shape(1, 1 + (long) grid * grid, d),
                frozenPosEmbed ? InitPlan.Rule.SINCOS_2D : InitPlan.Rule.TRUNC_NORMAL_002, 0);
        long patchFanIn = 3L * patch * patch;
        Shape patchShape = new Shape(d, 3, patch, patch);
        if (xavier) {
            // vits.py: val = sqrt(6 / (3 * p * p + embed_dim)), the conv seen as a Linear(3 p^2, D); bias zero
            patchWeight = addParameter(plan.with(newParameter("patch_embed.proj.weight", Parameter.Type.WEIGHT,
                    patchShape), InitPlan.Rule.XAVIER_UNIFORM, patchFanIn, d));
            patchBias = param(plan, "patch_embed.proj.bias", Parameter.Type.BIAS, new Shape(d), InitPlan.Rule.ZEROS, 0);
        } else {
            // timm leaves the patch embedding's conv at PyTorch's default init (its init touches Linear layers only)
            patchWeight = param(plan, "patch_embed.proj.weight", Parameter.Type.WEIGHT, patchShape,
                    InitPlan.Rule.UNIFORM_FAN_IN, patchFanIn);
            patchBias = param(plan, "patch_embed.proj.bias", Parameter.Type.BIAS, new Shape(d),
                    InitPlan.Rule.UNIFORM_FAN_IN, patchFanIn);
        }
        for (int i = 0; i < spec.depth(); i++) {
            String b = "blocks." + i + ".";
            layers.add(new Layer(
                    gamma(plan, b + "norm1.weight", d), beta(plan, b + "norm1.bias", d),
                    // vits.py treats Q, K and V as three D x D matrices: val = sqrt(6 / (3D / 3 + D))
                    weight(plan, b + "attn.qkv.weight", 3 * d, d, d), bias(plan, b + "attn.qkv.bias", 3 * d),
                    weight(plan, b + "attn.proj.weight", d, d, d), bias(plan, b + "attn.proj.bias", d),
                    gamma(plan, b + "norm2.weight", d), beta(plan, b + "norm2.bias", d),
                    weight(plan, b + "mlp.fc1.weight", hidden, d, hidden), bias(plan, b + "mlp.fc1.bias", hidden),
                    weight(plan, b + "mlp.fc2.weight", d, hidden, d), bias(plan, b + "mlp.fc2.bias", d)));
        }
        normWeight = gamma(plan, "norm.weight", d);
        normBias = beta(plan, "norm.bias", d);
    }

    /**
     * Builds the backbone a ViT spec describes for images of side {@code inputSize} (the grid of its position
     * embeddings), recording each parameter's init rule (timm's) in {@code plan}.
     *
     * @throws UserException when {@code inputSize} is not a positive multiple of the patch size
     */
    static VisionTransformer build(ModelSpec spec, InitPlan plan, int inputSize) {
        return new VisionTransformer(spec, grid(spec, inputSize), plan);
    }

    /**
     * Position-embedding grid side for images of side {@code size}.
     *
     * @throws UserException when {@code size} is not a positive multiple of the patch size
     */
    public static int grid(ModelSpec spec, int size) {
        if (size < spec.patchSize() || size % spec.patchSize() != 0) {
            throw new UserException("image-size: " + size + " px is not a multiple of patch-size " + spec.patchSize()
                    + " (" + spec.arch() + " cuts images into " + spec.patchSize() + "x" + spec.patchSize()
                    + " patches; use e.g. patch-size 4 or 8 for 32-96 px images, 16 for 224 px)");
        }
        return size / spec.patchSize();
    }

    /** The timm names of a ViT spec's parameters, in timm's {@code state_dict()} order (no classifier). */
    public static List<String> parameterNames(ModelSpec spec) {
        List<String> out = new ArrayList<>(List.of("cls_token", "pos_embed", "patch_embed.proj.weight",
                "patch_embed.proj.bias"));
        for (int i = 0; i < spec.depth(); i++) {
            for (String s : List.of("norm1.weight", "norm1.bias", "attn.qkv.weight", "attn.qkv.bias",
                    "attn.proj.weight", "attn.proj.bias", "norm2.weight", "norm2.bias", "mlp.fc1.weight",
                    "mlp.fc1.bias", "mlp.fc2.weight", "mlp.fc2.bias")) {
                out.add("blocks." + i + "." + s);
            }
        }
        out.add("norm.weight");
        out.add("norm.bias");
        return out;
    }

    /** The grid side of the position embeddings (tokens per row and column). */
    public int grid() {
        return grid;
    }

    private Parameter param(InitPlan plan, String name, Parameter.Type type, Shape shape, InitPlan.Rule rule,
                            long fanIn) {
        Parameter p = addParameter(newParameter(name, type, shape));
        plan.with(p, rule, fanIn);
        return p;
    }

    private static Parameter newParameter(String name, Parameter.Type type, Shape shape) {
        return Parameter.builder().setName(name).setType(type).optShape(shape)
                .optInitializer(Initializer.ZEROS).build();
    }

    /**
     * A linear weight {@code out x in}: timm's trunc-normal 0.02, or with MoCo v3's init xavier-uniform over
     * {@code in + xavierFanOut} (the qkv weight passes D, not 3D).
     */
    private Parameter weight(InitPlan plan, String name, long out, long in, long xavierFanOut) {
        if (xavier) {
            return addParameter(plan.with(newParameter(name, Parameter.Type.WEIGHT, new Shape(out, in)),
                    InitPlan.Rule.XAVIER_UNIFORM, in, xavierFanOut));
        }
        return param(plan, name, Parameter.Type.WEIGHT, new Shape(out, in), InitPlan.Rule.TRUNC_NORMAL_002, in);
    }

    private Parameter bias(InitPlan plan, String name, long out) {
        return param(plan, name, Parameter.Type.BIAS, new Shape(out), InitPlan.Rule.ZEROS, 0);
    }

    private Parameter gamma(InitPlan plan, String name, long d) {
        return param(plan, name, Parameter.Type.GAMMA, new Shape(d), InitPlan.Rule.ONES, 0);
    }

    private Parameter beta(InitPlan plan, String name, long d) {
        return param(plan, name, Parameter.Type.BETA, new Shape(d), InitPlan.Rule.ZEROS, 0);
    }

    /**
     * Initialises the parameters; with MoCo v3's frozen patch projection the patch embedding is not trained, with
     * its sin-cos table the position embeddings are not.
     */
    @Override
    public void initialize(NDManager manager, DataType dataType, Shape... inputShapes) {
        super.initialize(manager, dataType, inputShapes);
        if (frozenPatchEmbed) {
            patchWeight.freeze(true);
            patchBias.freeze(true);
        }
        if (frozenPosEmbed) {
            posEmbed.freeze(true);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), width)};
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Device device = x.getDevice();
        NDManager m = x.getManager();
        long n = x.getShape().get(0);
        NDArray t = Conv2d.conv2d(x, value(ps, patchWeight, device, training), value(ps, patchBias, device, training),
                new Shape(patch, patch)).singletonOrThrow();
        long gh = t.getShape().get(2);
        long gw = t.getShape().get(3);
        t = t.reshape(n, width, gh * gw).transpose(0, 2, 1);
        // results of operations on a parameter go to the parameter's manager: move them to the input's
        NDArray cls = own(m, value(ps, clsToken, device, training).broadcast(new Shape(n, 1, width)));
        NDArray tokens = NDArrays.concat(new NDList(cls, t), 1);
        tokens = tokens.add(positions(ps, device, training, gh, gw, m));
        long len = tokens.getShape().get(1);
        int headDim = width / heads;
        // made by libtorch, not a Java float operand: autograd keeps it for the backward pass (see Scalars)
        NDArray scale = Scalars.of(m, (float) (1.0 / Math.sqrt(headDim)));
        Shape norm = new Shape(width);
        for (Layer l : layers) {
            NDArray y = LayerNorm.layerNorm(tokens, norm, value(ps, l.norm1W(), device, training),
                    value(ps, l.norm1B(), device, training), LN_EPS).singletonOrThrow();
            NDArray qkv = Linear.linear(y, value(ps, l.qkvW(), device, training),
                    value(ps, l.qkvB(), device, training)).singletonOrThrow();
            NDList parts = qkv.split(3, 2); // q, k, v: N x L x D each, heads interleaved as timm's reshape
            NDArray q = heads(parts.get(0), n, len, headDim).mul(scale);
            NDArray k = heads(parts.get(1), n, len, headDim);
            NDArray v = heads(parts.get(2), n, len, headDim);
            NDArray scores = q.matMul(k.swapAxes(2, 3));
            if (scores.getDataType() != DataType.FLOAT32) {
                // bf16/fp16 autocast: the softmax in float32 (as CUDA autocast does), which also keeps DJL's
                // softmax away from bfloat16, a type it cannot name (libtorch then terminates the process)
                try (NDArray one = scores.getManager().ones(new Shape(1))) {
                    scores = scores.mul(one); // promotes to float32 and keeps the gradient, unlike toType
                }
            }
            NDArray attn = scores.softmax(3);
            NDArray o = attn.matMul(v).transpose(0, 2, 1, 3).reshape(n, len, width);
            tokens = tokens.add(Linear.linear(o, value(ps, l.projW(), device, training),
                    value(ps, l.projB(), device, training)).singletonOrThrow());
            y = LayerNorm.layerNorm(tokens, norm, value(ps, l.norm2W(), device, training),
                    value(ps, l.norm2B(), device, training), LN_EPS).singletonOrThrow();
            NDArray h = Activation.gelu(Linear.linear(y, value(ps, l.fc1W(), device, training),
                    value(ps, l.fc1B(), device, training)).singletonOrThrow());
            tokens = tokens.add(Linear.linear(h, value(ps, l.fc2W(), device, training),
                    value(ps, l.fc2B(), device, training)).singletonOrThrow());
        }
        tokens = LayerNorm.layerNorm(tokens, norm, value(ps, normWeight, device, training),
                value(ps, normBias, device, training), LN_EPS).singletonOrThrow();
        NDList clsAndPatches = tokens.split(new long[] {1}, 1);
        NDArray pooled = meanPooling ? clsAndPatches.get(1).mean(new int[] {1}) : clsAndPatches.get(0).squeeze(1);
        return new NDList(pooled);
    }

    /**
     * The position embeddings for a {@code gh x gw} patch grid: the parameter itself on the grid it was
     * made for, else {@link #resize}d.
     */
    private NDArray positions(ParameterStore ps, Device device, boolean training, long gh, long gw, NDManager m) {
        NDArray pos = value(ps, posEmbed, device, training);
        return gh == grid && gw == grid ? pos : resize(pos, grid, gh, gw, m);
    }

    /**
     * Position embeddings {@code [1, 1 + grid^2, D]} on a {@code gh x gw} grid, differentiably, in {@code m}:
     * the class-token row kept, the rest resized as a D-channel image by libtorch's bicubic
     * {@code interpolate} (align_corners=False, antialiased: timm's {@code resample_abs_pos_embed}).
     */
    static NDArray resize(NDArray pos, int grid, long gh, long gw, NDManager m) {
        long width = pos.getShape().get(2);
        NDList parts = pos.split(new long[] {1}, 1);
        NDArray prefix = own(m, parts.get(0));
        NDArray patches = own(m, parts.get(1)).reshape(1, grid, grid, width).transpose(0, 3, 1, 2);
        NDArray resized = patches.getNDArrayInternal().interpolation(new long[] {gh, gw}, BICUBIC, false);
        resized = resized.transpose(0, 2, 3, 1).reshape(1, gh * gw, width);
        return NDArrays.concat(new NDList(prefix, resized), 1);
    }

    /** N x L x D to N x H x L x hd. */
    private NDArray heads(NDArray x, long n, long len, int headDim) {
        return x.reshape(n, len, heads, headDim).transpose(0, 2, 1, 3);
    }

    private static NDArray value(ParameterStore ps, Parameter p, Device device, boolean training) {
        return ps.getValue(p, device, training);
    }

    private static NDArray own(NDManager m, NDArray a) {
        a.attach(m);
        return a;
    }
}
