package org.selfsup.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import java.util.Locale;
import org.selfsup.method.MethodRegistry;
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

    /** The architecture names {@link #forMethod} accepts. */
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

    /** {@link #forMethod(String, String, int, List, Boolean)} with the small arch's defaults (width 16, blocks 1,1,1,1). */
    public static ModelSpec forMethod(String method, String arch) {
        return forMethod(method, arch, 16, List.of(1, 1, 1, 1), null);
    }

    /**
     * The model a method trains, with its original code's heads and initialisation.
     *
     * <ul>
     *   <li>{@code byol}, {@code rsa} (RSA code): torchvision init, zero-init-residual; projector
     *       Linear(D,1024)+BN+ReLU+Linear(1024,128,no bias), predictor 128-1024-128 alike
     *       (ResNet-50: 4096/256).</li>
     *   <li>{@code simsiam}, {@code dssl-simsiam}, {@code heavy-symmetric} (DSSL SimSiam code): uniform init;
     *       CIFAR-style projector Linear(D,2048)+BN+ReLU+Linear(2048,2048)+BN(affine=False), predictor
     *       Linear(2048,512)+BN+ReLU+Linear(512,2048); ResNet-50: three 2048 layers, the last BN affine.</li>
     *   <li>{@code dssl-byol} (lucidrains BYOL): torchvision init; projector and predictor
     *       Linear(4096)+BN+ReLU+Linear(256) with biases.</li>
     * </ul>
     * For {@code small} the head widths scale with the feature width D (factor D/512, at least 8).
     *
     * @param width            base width ({@code small} only; ignored otherwise)
     * @param blocks           blocks per stage ({@code small} only; ignored otherwise)
     * @param zeroInitResidual null for the method's default
     * @throws UserException for an unknown method or arch
     */
    public static ModelSpec forMethod(String method, String arch, int width, List<Integer> blocks,
                                      Boolean zeroInitResidual) {
        String m = method.toLowerCase(Locale.ROOT);
        String a = arch.toLowerCase(Locale.ROOT);
        int w = a.equals("small") ? width : 64;
        List<Integer> b = switch (a) {
            case "small" -> blocks;
            case "resnet18", "resnet18-cifar" -> List.of(2, 2, 2, 2);
            case "resnet34", "resnet50" -> List.of(3, 4, 6, 3);
            default -> throw new UserException("arch: unknown '" + arch + "' (expected one of "
                    + String.join(", ", ARCHS) + ")");
        };
        boolean r50 = a.equals("resnet50");
        int d = w * 8 * (r50 ? 4 : 1);
        double s = a.equals("small") ? d / 512.0 : 1.0;
        switch (m) {
            case "byol", "rsa" -> {
                int hidden = r50 ? 4096 : scaled(1024, s);
                int out = r50 ? 256 : scaled(128, s);
                return new ModelSpec(a, w, b, zeroInitResidual == null || zeroInitResidual, INIT_TORCHVISION,
                        HeadSpec.twoLayer(hidden, out, false), HeadSpec.twoLayer(hidden, out, false));
            }
            case "simsiam", "dssl-simsiam", "heavy-symmetric" -> {
                int dim = scaled(2048, s);
                int bottleneck = scaled(512, s);
                HeadSpec projector = r50
                        ? new HeadSpec(List.of(
                                new HeadSpec.Layer(dim, true, HeadSpec.Norm.AFFINE, true),
                                new HeadSpec.Layer(dim, true, HeadSpec.Norm.AFFINE, true),
                                new HeadSpec.Layer(dim, true, HeadSpec.Norm.AFFINE, false)))
                        : new HeadSpec(List.of(
                                new HeadSpec.Layer(dim, true, HeadSpec.Norm.AFFINE, true),
                                new HeadSpec.Layer(dim, true, HeadSpec.Norm.PLAIN, false)));
                HeadSpec predictor = HeadSpec.twoLayer(bottleneck, dim, true);
                return new ModelSpec(a, w, b, zeroInitResidual != null && zeroInitResidual, INIT_UNIFORM,
                        projector, predictor);
            }
            case "dssl-byol" -> {
                int hidden = scaled(4096, s);
                int out = scaled(256, s);
                return new ModelSpec(a, w, b, zeroInitResidual != null && zeroInitResidual, INIT_TORCHVISION,
                        HeadSpec.twoLayer(hidden, out, true), HeadSpec.twoLayer(hidden, out, true));
            }
            default -> throw new UserException("method: unknown '" + method
                    + "' (expected one of " + String.join(", ", MethodRegistry.NAMES) + ")");
        }
    }

    private static int scaled(int dim, double s) {
        return Math.max(8, (int) Math.round(dim * s));
    }
}
