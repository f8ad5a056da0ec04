package org.selfsup.model;

import java.util.List;
import java.util.Locale;
import org.selfsup.util.UserException;

/**
 * A backbone as a method sees it when it sizes its heads: the architecture with its width and blocks
 * resolved, and its feature width.
 *
 * @param arch   one of {@link ModelSpec#ARCHS}
 * @param width  ResNets: base width (channels of the first stage), 64 for the standard ResNets; ViTs: the
 *               embedding width
 * @param blocks ResNets: residual blocks per stage; ViTs: one entry, the depth
 * @param vit    the ViT settings (resolved: heads set), or null for a ResNet
 */
public record Backbone(String arch, int width, List<Integer> blocks, Vit vit) {
    /**
     * The settings of a Vision Transformer beyond width and depth.
     *
     * @param patchSize        patch side in pixels
     * @param heads            attention heads; 0 = the arch's (3/6/12 for vit-tiny/small/base; width / 64, at
     *                         least 1, for {@code vit}); any other number replaces them (MoCo v3's ViT-S has 12)
     * @param pooling          {@code cls} or {@code mean}
     * @param frozenPatchEmbed MoCo v3's frozen random patch projection
     * @param vitInit          {@code timm} or {@code mocov3} (null: timm), see {@link ModelSpec#vitInit()}
     * @param posEmbed         {@code learned} or {@code sincos} (null: learned), see {@link ModelSpec#posEmbed()}
     */
    public record Vit(int patchSize, int heads, String pooling, boolean frozenPatchEmbed, String vitInit,
                      String posEmbed) {
        /** timm's initialisation and learned position embeddings. */
        public Vit(int patchSize, int heads, String pooling, boolean frozenPatchEmbed) {
            this(patchSize, heads, pooling, frozenPatchEmbed, null, null);
        }

        /** Patch 16, the arch's heads, class-token pooling, trained patch embedding, timm's init. */
        public static Vit defaults(int patchSize) {
            return new Vit(patchSize, 0, "cls", false);
        }
    }

    /**
     * The backbone {@code arch} names with ViT defaults (patch 16, class token); {@code width} and
     * {@code blocks} only apply to {@code small} and {@code vit}.
     *
     * @throws UserException for an unknown arch
     */
    public static Backbone of(String arch, int width, List<Integer> blocks) {
        return of(arch, width, blocks, Vit.defaults(16));
    }

    /**
     * The backbone {@code arch} names; {@code width} and {@code blocks} only apply to {@code small} and
     * {@code vit} (for {@code vit}, {@code blocks} holds the depth), {@code vit} only to ViTs.
     *
     * @throws UserException for an unknown arch
     */
    public static Backbone of(String arch, int width, List<Integer> blocks, Vit vit) {
        String a = arch.toLowerCase(Locale.ROOT);
        return switch (a) {
            case "small" -> new Backbone(a, width, blocks, null);
            case "resnet18", "resnet18-cifar" -> new Backbone(a, 64, List.of(2, 2, 2, 2), null);
            case "resnet34", "resnet50" -> new Backbone(a, 64, List.of(3, 4, 6, 3), null);
            case "vit-tiny" -> vit(a, 192, 12, 3, vit);
            case "vit-small" -> vit(a, 384, 12, 6, vit);
            case "vit-base" -> vit(a, 768, 12, 12, vit);
            case "vit" -> vit(a, width, blocks.isEmpty() ? 0 : blocks.get(0), Math.max(1, width / 64), vit);
            default -> throw new UserException("arch: unknown '" + arch + "' (expected one of "
                    + String.join(", ", ModelSpec.ARCHS) + ")");
        };
    }

    private static Backbone vit(String arch, int width, int depth, int defaultHeads, Vit v) {
        Vit given = v == null ? Vit.defaults(16) : v;
        int heads = given.heads() > 0 ? given.heads() : defaultHeads;
        return new Backbone(arch, width, List.of(depth),
                new Vit(given.patchSize(), heads, given.pooling(), given.frozenPatchEmbed(), given.vitInit(),
                        given.posEmbed()));
    }

    /** Whether this is ResNet-50 (Bottleneck blocks; the papers give its heads separately). */
    public boolean resnet50() {
        return arch.equals("resnet50");
    }

    /** Whether this is a Vision Transformer. */
    public boolean isVit() {
        return vit != null;
    }

    /** Width of the backbone's output features D. */
    public int featureDim() {
        return isVit() ? width : width * 8 * (resnet50() ? 4 : 1);
    }

    /**
     * A head width of the papers' ResNet-18 recipes for this backbone: unchanged for the standard archs
     * (ViT-T/S/B included: their heads take D inputs and keep the recipes' hidden and output widths), scaled
     * by D/512 (at least 8) for the free-width {@code small} and {@code vit}.
     */
    public int scaled(int dim) {
        double s = arch.equals("small") || arch.equals("vit") ? featureDim() / 512.0 : 1.0;
        return Math.max(8, (int) Math.round(dim * s));
    }

    /** The model spec of this backbone with the given initialisation and heads. */
    public ModelSpec spec(boolean zeroInitResidual, String init, HeadSpec projector, HeadSpec predictor) {
        if (isVit()) {
            return new ModelSpec(arch, width, blocks, false, init, projector, predictor, vit.patchSize(), vit.heads(),
                    vit.pooling(), vit.frozenPatchEmbed(), vit.vitInit(), vit.posEmbed());
        }
        return new ModelSpec(arch, width, blocks, zeroInitResidual, init, projector, predictor);
    }
}
