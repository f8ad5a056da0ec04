package org.selfsup.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import org.selfsup.util.UserException;

/**
 * Everything needed to rebuild a model: backbone architecture, initialisation and heads. Stored in
 * checkpoints (Jackson-serialisable record) so evaluation and export rebuild exactly what was trained.
 *
 * @param arch             {@code resnet18-cifar} (3x3 stem, no max-pool), {@code resnet18}, {@code resnet34},
 *                         {@code resnet50} (ImageNet stem) or {@code small} (CIFAR stem, BasicBlocks,
 *                         {@code width} and {@code blocks} free)
 * @param width            base width (channels of the first stage); 64 for the standard ResNets
 * @param blocks           residual blocks per stage (four stages)
 * @param zeroInitResidual whether the last BatchNorm gamma of each residual branch starts at 0
 * @param init             {@code torchvision} (Kaiming-normal fan_out convs; a CIFAR stem conv keeps
 *                         PyTorch's default init, as in RSA's replaced conv1) or {@code uniform} (every
 *                         conv and linear U(+-1/sqrt(fan_in)): PyTorch defaults as in DSSL's kuangliu
 *                         ResNet, and DSSL-SimSiam's ResNet-50 re-initialisation)
 * @param projector        projector head (input = backbone features)
 * @param predictor        predictor head (input = projector output), or null for methods without one
 */
public record ModelSpec(String arch, int width, List<Integer> blocks, boolean zeroInitResidual, String init,
                        HeadSpec projector, HeadSpec predictor) {

    /** The architecture names. */
    public static final List<String> ARCHS = List.of("resnet18-cifar", "resnet18", "resnet34", "resnet50", "small");
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
        if (blocks == null || blocks.size() != 4 || blocks.stream().anyMatch(b -> b == null || b < 1)) {
            throw new UserException("blocks: need four positive counts (one per stage), got " + blocks);
        }
        blocks = List.copyOf(blocks);
        if (!INIT_TORCHVISION.equals(init) && !INIT_UNIFORM.equals(init)) {
            throw new UserException("init: unknown '" + init + "' (expected torchvision or uniform)");
        }
        if (projector == null) {
            throw new IllegalArgumentException("projector is required");
        }
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
        return width * 8 * (bottleneck() ? 4 : 1);
    }

    /** The spec without its predictor (for a backbone-only or predictor-less model). */
    public ModelSpec withoutPredictor() {
        return new ModelSpec(arch, width, blocks, zeroInitResidual, init, projector, null);
    }
}
