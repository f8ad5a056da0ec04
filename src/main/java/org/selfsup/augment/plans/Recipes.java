package org.selfsup.augment.plans;

import org.selfsup.augment.plans.Recipe.Blur;
import org.selfsup.augment.plans.Recipe.Crop;
import org.selfsup.augment.plans.Recipe.Either;
import org.selfsup.augment.plans.Recipe.Flip;
import org.selfsup.augment.plans.Recipe.Gray;
import org.selfsup.augment.plans.Recipe.Grid;
import org.selfsup.augment.plans.Recipe.Jitter;
import org.selfsup.augment.plans.Recipe.RandAug;

/**
 * The transform stacks the plans are made of (methods.md §1.3, §2.2, §3.3–3.5), as {@link Recipe}s. All
 * crops are {@code RandomResizedCrop(size, scale=(scaleMin, scaleMax))}, ratio (3/4, 4/3).
 */
public final class Recipes {
    private Recipes() {}

    /** RSA's weak T1: RandomResizedCrop then RandomHorizontalFlip(0.5). */
    public static Recipe weak(PlanOptions o) {
        return Recipe.of(new Crop(o.scaleMin(), o.scaleMax()), new Flip(0.5));
    }

    /** RSA's aggressive add-on T2: RandomApply(CJ, 0.8), RandomGrayscale(0.2), RandomApply(blur, 0.5). */
    public static Recipe aggressiveAddOn(PlanOptions o) {
        return colour(o.jitter(), o.hue()).then(blur());
    }

    /** aggressive_full: weak then the aggressive add-on, applied to the source image (BYOL pair). */
    public static Recipe aggressiveFull(PlanOptions o) {
        return weak(o).then(aggressiveAddOn(o));
    }

    /** DSSL-CIFAR standard t: crop, flip, RandomApply(CJ, 0.8), gray 0.2; no blur. */
    public static Recipe standard(PlanOptions o) {
        return weak(o).then(colour(o.jitter(), o.hue()));
    }

    /** DSSL-ImageNet standard t: {@link #standard} then RandomApply(blur, 0.5) (= aggressive_full). */
    public static Recipe standardWithBlur(PlanOptions o) {
        return aggressiveFull(o);
    }

    /** DSSL's heavy t̂ on CIFAR: RandAugment(N, M). */
    public static Recipe randAugment(PlanOptions o) {
        return Recipe.of(new RandAug(o.randAugN(), o.randAugM(), o.relativeMagnitudes()));
    }

    /** DSSL-ImageNet heavy t̂: RandAugment(N, M) with p 0.9, else GridShuffle(grid x grid). */
    public static Recipe heavyImagenet(PlanOptions o) {
        return Recipe.of(new Either(0.9, randAugment(o), Recipe.of(new Grid(o.grid(), 1.0))));
    }

    /** DSSL-BYOL "harder" standard t: RandAugment(N, M) on the original image, then standard with blur. */
    public static Recipe harderStandard(PlanOptions o) {
        return randAugment(o).then(standardWithBlur(o));
    }

    /**
     * DSSL-BYOL "harder" heavy t̂: RandAugment(hardN, hardM), another crop, flip,
     * RandomApply(CJ(hardJitter, hardJitter, hardJitter, hue), 0.8), gray 0.2, RandomApply(blur, 0.5),
     * GridShuffle(grid) with p 0.1.
     */
    public static Recipe harderHeavy(PlanOptions o) {
        return Recipe.of(new RandAug(o.hardN(), o.hardM(), o.relativeMagnitudes()))
                .then(weak(o))
                .then(colour(o.hardJitter(), o.hue()))
                .then(blur())
                .then(Recipe.of(new Grid(o.grid(), 0.1)));
    }

    /** RandomApply(ColorJitter(s, s, s, hue), 0.8) then RandomGrayscale(0.2). */
    static Recipe colour(double strength, double hue) {
        return Recipe.of(new Jitter(strength, strength, strength, hue, 0.8), new Gray(0.2));
    }

    /** RandomApply(GaussianBlur(sigma in [0.1, 2]), 0.5). */
    static Recipe blur() {
        return Recipe.of(new Blur(0.5, 0.1, 2.0));
    }
}
