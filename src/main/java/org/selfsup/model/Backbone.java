package org.selfsup.model;

import java.util.List;
import java.util.Locale;
import org.selfsup.util.UserException;

/**
 * A backbone as a method sees it when it sizes its heads: the architecture with its width and blocks
 * resolved, and its feature width.
 *
 * @param arch   one of {@link ModelSpec#ARCHS}
 * @param width  base width (channels of the first stage): 64 for the standard ResNets
 * @param blocks residual blocks per stage
 */
public record Backbone(String arch, int width, List<Integer> blocks) {
    /**
     * The backbone {@code arch} names; {@code width} and {@code blocks} only apply to {@code small}.
     *
     * @throws UserException for an unknown arch
     */
    public static Backbone of(String arch, int width, List<Integer> blocks) {
        String a = arch.toLowerCase(Locale.ROOT);
        List<Integer> b = switch (a) {
            case "small" -> blocks;
            case "resnet18", "resnet18-cifar" -> List.of(2, 2, 2, 2);
            case "resnet34", "resnet50" -> List.of(3, 4, 6, 3);
            default -> throw new UserException("arch: unknown '" + arch + "' (expected one of "
                    + String.join(", ", ModelSpec.ARCHS) + ")");
        };
        return new Backbone(a, a.equals("small") ? width : 64, b);
    }

    /** Whether this is ResNet-50 (Bottleneck blocks; the papers give its heads separately). */
    public boolean resnet50() {
        return arch.equals("resnet50");
    }

    /** Width of the backbone's output features D. */
    public int featureDim() {
        return width * 8 * (resnet50() ? 4 : 1);
    }

    /**
     * A head width of the papers' ResNet-18 recipes for this backbone: unchanged for the standard archs,
     * scaled by D/512 (at least 8) for {@code small}.
     */
    public int scaled(int dim) {
        double s = arch.equals("small") ? featureDim() / 512.0 : 1.0;
        return Math.max(8, (int) Math.round(dim * s));
    }

    /** The model spec of this backbone with the given initialisation and heads. */
    public ModelSpec spec(boolean zeroInitResidual, String init, HeadSpec projector, HeadSpec predictor) {
        return new ModelSpec(arch, width, blocks, zeroInitResidual, init, projector, predictor);
    }
}
