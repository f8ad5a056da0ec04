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
 */
public record ModelSpec(String arch, int width, List<Integer> blocks, boolean zeroInitResidual, String init,
                        HeadSpec projector, HeadSpec predictor,
                        @JsonInclude(JsonInclude.Include.NON_DEFAULT) int patchSize,
                        @JsonInclude(JsonInclude.Include.NON_DEFAULT) int heads,
                        @JsonInclude(JsonInclude.Include.NON_NULL) String pooling,
                        @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean frozenPatchEmbed) {

    /** The ResNet architecture names. */
    public static final List<String> RESNETS = List.of("resnet18-cifar", "resnet18", "resnet34", "resnet50", "small");
    /** The Vision Transformer architecture names. */
    public static final List<String> VITS = List.of("vit-tiny", "vit-small", "vit-base", "vit");
    /** The architecture names. */
    public static final List<String> ARCHS = List.of("resnet18-cifar", "resnet18", "resnet34", "resnet50", "small",
            "vit-tiny", "vit-small", "vit-base", "vit");
    /** The pooled features of a ViT. */
    public static final List<String> POOLINGS = List.of("cls", "mean");
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
        } else {
            if (blocks == null || blocks.size() != 4 || blocks.stream().anyMatch(b -> b == null || b < 1)) {
                throw new UserException("blocks: need four positive counts (one per stage), got " + blocks);
            }
            // ResNets have none of these: normalised, so that their JSON stays as it was before ViTs
            patchSize = 0;
            heads = 0;
            pooling = null;
            frozenPatchEmbed = false;
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
        this(arch, width, blocks, zeroInitResidual, init, projector, predictor, 0, 0, null, false);
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
                frozenPatchEmbed);
    }
}
