package org.selfsup.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.selfsup.util.UserException;

/**
 * Everything needed to rebuild a model: backbone architecture, initialisation and heads. Stored in
 * checkpoints (Jackson-serialisable record) so evaluation and export rebuild exactly what was trained.
 *
 * @param arch             {@code resnet18-cifar} (3x3 stem, no max-pool), {@code resnet18}, {@code resnet34},
 *                         {@code resnet50} (ImageNet stem), {@code small} (CIFAR stem, BasicBlocks,
 *                         {@code width} and {@code blocks} free), or a Vision Transformer: {@code vit-tiny},
 *                         {@code vit-small}, {@code vit-base} (widths 192/384/768, depth 12, 3/6/12 heads) or
 *                         {@code vit} (width, depth and heads free)
 * @param width            ResNets: base width (channels of the first stage), 64 for the standard ones; ViTs: the
 *                         embedding width D
 * @param blocks           ResNets: residual blocks per stage (four stages); ViTs: one entry, the depth
 * @param zeroInitResidual whether the last BatchNorm gamma of each residual branch starts at 0 (ResNets)
 * @param init             {@code torchvision} (Kaiming-normal fan_out convs; a CIFAR stem conv keeps
 *                         PyTorch's default init, as in RSA's replaced conv1) or {@code uniform} (every
 *                         conv and linear U(+-1/sqrt(fan_in)): PyTorch defaults as in DSSL's kuangliu
 *                         ResNet, and DSSL-SimSiam's ResNet-50 re-initialisation). A ViT backbone is always
 *                         initialised as timm's; this then only names the methods' choice for ResNets.
 * @param projector        projector head (input = backbone features)
 * @param predictor        predictor head (input = projector output), or null for methods without one
 * @param patchSize        ViTs: side of the square patches in pixels (0 for ResNets)
 * @param heads            ViTs: attention heads (0 for ResNets)
 * @param pooling          ViTs: the pooled feature, {@code cls} (the class token after the final norm) or
 *                         {@code mean} (mean of the patch tokens after the final norm); null for ResNets
 * @param frozenPatchEmbed ViTs: MoCo v3's frozen random patch projection (the patch embedding keeps its
 *                         initial values and is not trained)
 * @param vitInit          ViTs: {@code timm} (timm's init: trunc-normal 0.02 linears, PyTorch's default for the patch
 *                         convolution) or {@code mocov3} (MoCo v3's {@code vits.py}: xavier-uniform linears, qkv
 *                         as three separate D x D matrices, xavier-uniform patch projection over its flattened fan,
 *                         zero biases); null for ResNets and, in JSON, for the default {@code timm}
 * @param posEmbed         ViTs: {@code learned} (trained, trunc-normal 0.02 init) or {@code sincos} (MoCo v3's fixed
 *                         2-D sin-cos table, never trained); null for ResNets and, in JSON, for the default
 *                         {@code learned}
 */
public record ModelSpec(String arch, int width, List<Integer> blocks, boolean zeroInitResidual, String init,
                        HeadSpec projector, HeadSpec predictor,
                        @JsonInclude(JsonInclude.Include.NON_DEFAULT) int patchSize,
                        @JsonInclude(JsonInclude.Include.NON_DEFAULT) int heads,
                        @JsonInclude(JsonInclude.Include.NON_NULL) String pooling,
                        @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean frozenPatchEmbed,
                        @JsonInclude(JsonInclude.Include.NON_NULL) String vitInit,
                        @JsonInclude(JsonInclude.Include.NON_NULL) String posEmbed) {

    /** The ResNet architecture names. */
    public static final List<String> RESNETS = List.of("resnet18-cifar", "resnet18", "resnet34", "resnet50", "small");
    /** The Vision Transformer architecture names. */
    public static final List<String> VITS = List.of("vit-tiny", "vit-small", "vit-base", "vit");
    /** The architecture names. */
    public static final List<String> ARCHS = List.of("resnet18-cifar", "resnet18", "resnet34", "resnet50", "small",
            "vit-tiny", "vit-small", "vit-base", "vit");
    /** The pooled features of a ViT. */
    public static final List<String> POOLINGS = List.of("cls", "mean");
    /** ViT initialisations: timm's (default) and MoCo v3's {@code vits.py}. */
    public static final List<String> VIT_INITS = List.of("timm", "mocov3");
    /** ViT position embeddings: learned (default) or MoCo v3's fixed 2-D sin-cos table. */
    public static final List<String> POS_EMBEDS = List.of("learned", "sincos");
    /** Initialisation schemes. */
    public static final String INIT_TORCHVISION = "torchvision";
    public static final String INIT_UNIFORM = "uniform";

    public ModelSpec {
        if (!ARCHS.contains(arch)) {
            throw new UserException("arch: unknown '" + arch + "' (expected one of " + String.join(", ", ARCHS) + ")");
        }
        if (width < 1) {
            throw new UserException("width: must be positive, got " + width);
        }
        boolean vit = VITS.contains(arch);
        if (vit) {
            if (blocks == null || blocks.size() != 1 || blocks.get(0) == null || blocks.get(0) < 1) {
                throw new UserException("blocks: a ViT takes one positive count, its depth, got " + blocks);
            }
            if (patchSize < 1) {
                throw new UserException("patch-size: must be positive for " + arch + ", got " + patchSize);
            }
            if (heads < 1 || width % heads != 0) {
                throw new UserException("attention-heads: " + heads + " does not divide the width " + width + " of "
                        + arch);
            }
            pooling = pooling == null ? "cls" : pooling;
            if (!POOLINGS.contains(pooling)) {
                throw new UserException("pooling: unknown '" + pooling + "' (expected cls or mean)");
            }
            if (vitInit != null && !VIT_INITS.contains(vitInit)) {
                throw new UserException("vit-init: unknown '" + vitInit + "' (expected timm or mocov3)");
            }
            if (posEmbed != null && !POS_EMBEDS.contains(posEmbed)) {
                throw new UserException("pos-embed: unknown '" + posEmbed + "' (expected learned or sincos)");
            }
            // the defaults are stored as null, so that the JSON of a ViT spec stays as it was before these keys
            vitInit = VIT_INITS.get(0).equals(vitInit) ? null : vitInit;
            posEmbed = POS_EMBEDS.get(0).equals(posEmbed) ? null : posEmbed;
            if (posEmbed != null && width % 4 != 0) {
                throw new UserException("pos-embed sincos: the width " + width + " of " + arch
                        + " must be a multiple of 4 (a quarter each for sin and cos of the two axes)");
            }
        } else {
            if (blocks == null || blocks.size() != 4 || blocks.stream().anyMatch(b -> b == null || b < 1)) {
                throw new UserException("blocks: need four positive counts (one per stage), got " + blocks);
            }
            // ResNets have none of these: normalised, so that their JSON stays as it was before ViTs
            patchSize = 0;
            heads = 0;
            pooling = null;
            frozenPatchEmbed = false;
            vitInit = null;
            posEmbed = null;
        }
        blocks = List.copyOf(blocks);
        if (!INIT_TORCHVISION.equals(init) && !INIT_UNIFORM.equals(init)) {
            throw new UserException("init: unknown '" + init + "' (expected torchvision or uniform)");
        }
        if (projector == null) {
            throw new IllegalArgumentException("projector is required");
        }
    }

    /** A ResNet spec (no ViT settings). */
    public ModelSpec(String arch, int width, List<Integer> blocks, boolean zeroInitResidual, String init,
                     HeadSpec projector, HeadSpec predictor) {
        this(arch, width, blocks, zeroInitResidual, init, projector, predictor, 0, 0, null, false, null, null);
    }

    /** ViTs: the initialisation, {@code timm} or {@code mocov3} (see {@link #vitInit()}). */
    @JsonIgnore
    public String vitInitName() {
        return vitInit == null ? VIT_INITS.get(0) : vitInit;
    }

    /** ViTs: the position embeddings, {@code learned} or {@code sincos} (see {@link #posEmbed()}). */
    @JsonIgnore
    public String posEmbedName() {
        return posEmbed == null ? POS_EMBEDS.get(0) : posEmbed;
    }

    /** ViTs: whether the position embeddings are MoCo v3's fixed sin-cos table. */
    @JsonIgnore
    public boolean sincosPosEmbed() {
        return "sincos".equals(posEmbed);
    }

    /** ViTs: whether the backbone is initialised as MoCo v3's {@code vits.py}. */
    @JsonIgnore
    public boolean mocov3Init() {
        return "mocov3".equals(vitInit);
    }

    /** Whether the backbone is a Vision Transformer. */
    @JsonIgnore
    public boolean vit() {
        return VITS.contains(arch);
    }

    /** ViTs: the number of transformer blocks. */
    @JsonIgnore
    public int depth() {
        return vit() ? blocks.get(0) : 0;
    }

    /** Whether the backbone uses Bottleneck blocks (expansion 4). */
    @JsonIgnore
    public boolean bottleneck() {
        return arch.equals("resnet50");
    }

    /** Whether the stem is the CIFAR one (3x3 stride-1 conv, no max-pool). */
    @JsonIgnore
    public boolean cifarStem() {
        return arch.equals("resnet18-cifar") || arch.equals("small");
    }

    /** Width of the backbone's output features. */
    @JsonIgnore
    public int featureDim() {
        return vit() ? width : width * 8 * (bottleneck() ? 4 : 1);
    }

    /** The spec without its predictor (for a backbone-only or predictor-less model). */
    public ModelSpec withoutPredictor() {
        return new ModelSpec(arch, width, blocks, zeroInitResidual, init, projector, null, patchSize, heads, pooling,
                frozenPatchEmbed, vitInit, posEmbed);
    }
}
