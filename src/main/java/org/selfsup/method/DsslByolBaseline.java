package org.selfsup.method;

/**
 * The BYOL baseline of DSSL's code ({@code byol_harder-aug_imagenet}, methods.md §3.5): {@code dssl-byol}
 * without the directional terms, the "BYOL (repro.)" rows of DSSL's tables (§3.7). With z' the EMA target's
 * projection (detached) and D the negative cosine (§1.1):
 * <pre>
 * L = 0.5 D(p(x1), z'(x2)) + 0.5 D(p(x2), z'(x1))
 * </pre>
 * on the two standard views of DSSL's BYOL setting only: RandAugment(2, 9) on the image, then the standard
 * t with blur (plan {@code dssl-byol-standard}; quirk 10 of §3.8: this baseline is not on plain BYOL views).
 * Heads are lucidrains' (biased Linear+BN+ReLU+Linear projector and predictor, {@link HeadCatalogue#LUCIDRAINS_BYOL}).
 * The target follows the run's {@code ema-*} keys; DSSL's code uses a constant tau of 0.99 applied after
 * the optimiser step (quirk 7), which the {@code byol-dssl-imagenet} preset sets.
 *
 * <p>Not RSA's BYOL ({@link Byol}): that one sums two normalised MSEs (4x this loss's gradient), has
 * bias-free 1024/128 heads, RSA's aggressive views and a cosine tau schedule applied before the forward pass.
 */
public final class DsslByolBaseline extends NegativeCosineObjective {
    /** DSSL's BYOL baseline: views x1, x2 of the dssl-byol-standard plan, an EMA target, lucidrains' heads. */
    public static final MethodDefinition DEFINITION = MethodDefinition.named("dssl-byol-baseline")
            .summary("BYOL as in DSSL's code (baseline): 0.5/0.5 negative cosine to the EMA target, biased heads")
            .views("x1", "x2").withTarget().defaultPlan("dssl-byol-standard")
            .heads(HeadCatalogue.LUCIDRAINS_BYOL).heavyPlan("dssl-byol-harder")
            .loss(o -> new DsslByolBaseline());

    @Override
    public MethodDefinition definition() {
        return DEFINITION;
    }
}
