package org.selfsup.augment.plans;

import org.selfsup.augment.RandomTransform;
import org.selfsup.augment.random.ColorJitter;
import org.selfsup.augment.random.RandAugment;
import org.selfsup.augment.random.RandomApply;
import org.selfsup.augment.random.RandomEither;
import org.selfsup.augment.random.RandomGaussianBlur;
import org.selfsup.augment.random.RandomGrayscale;
import org.selfsup.augment.random.RandomGridShuffle;
import org.selfsup.augment.random.RandomHorizontalFlip;
import org.selfsup.augment.random.RandomResizedCrop;

/**
 * The transform stacks the plans are made of (methods.md §1.3, §2.2, §3.3–3.5). All crops use
 * {@code RandomResizedCrop(size, scale=(scaleMin, 1))}, ratio (3/4, 4/3).
 */
public final class Recipes {
    private Recipes() {}

    /** RSA's weak T1: RandomResizedCrop then RandomHorizontalFlip(0.5). */
    public static RandomTransform weak(int size, PlanOptions o) {
        return new RandomResizedCrop(size, o.scaleMin(), 1.0).then(new RandomHorizontalFlip(0.5));
    }

    /** RSA's aggressive add-on T2: RandomApply(CJ, 0.8), RandomGrayscale(0.2), RandomApply(blur, 0.5). */
    public static RandomTransform aggressiveAddOn(PlanOptions o) {
        return colour(o.jitter(), o.hue()).then(blur());
    }

    /** aggressive_full: weak then the aggressive add-on, applied to the source image (BYOL pair). */
    public static RandomTransform aggressiveFull(int size, PlanOptions o) {
        return weak(size, o).then(aggressiveAddOn(o));
    }

    /** DSSL-CIFAR standard t: crop, flip, RandomApply(CJ, 0.8), gray 0.2; no blur. */
    public static RandomTransform standard(int size, PlanOptions o) {
        return weak(size, o).then(colour(o.jitter(), o.hue()));
    }

    /** DSSL-ImageNet standard t: {@link #standard} then RandomApply(blur, 0.5) (= aggressive_full). */
    public static RandomTransform standardWithBlur(int size, PlanOptions o) {
        return aggressiveFull(size, o);
    }

    /** DSSL's heavy t̂ on CIFAR: RandAugment(N, M). */
    public static RandomTransform randAugment(PlanOptions o) {
        return new RandAugment(o.randAugN(), o.randAugM(), o.relativeMagnitudes());
    }

    /** DSSL-ImageNet heavy t̂: RandAugment(N, M) with p 0.9, else GridShuffle(grid x grid). */
    public static RandomTransform heavyImagenet(PlanOptions o) {
        return new RandomEither(0.9, randAugment(o), new RandomGridShuffle(o.grid(), 1.0));
    }

    /** DSSL-BYOL "harder" standard t: RandAugment(N, M) on the original image, then standard with blur. */
    public static RandomTransform harderStandard(int size, PlanOptions o) {
        return randAugment(o).then(standardWithBlur(size, o));
    }

    /**
     * DSSL-BYOL "harder" heavy t̂: RandAugment(hardN, hardM), another crop, flip,
     * RandomApply(CJ(hardJitter, hardJitter, hardJitter, hue), 0.8), gray 0.2, RandomApply(blur, 0.5),
     * GridShuffle(grid) with p 0.1.
     */
    public static RandomTransform harderHeavy(int size, PlanOptions o) {
        return new RandAugment(o.hardN(), o.hardM(), o.relativeMagnitudes())
                .then(weak(size, o))
                .then(colour(o.hardJitter(), o.hue()))
                .then(blur())
                .then(new RandomGridShuffle(o.grid(), 0.1));
    }

    /** RandomApply(ColorJitter(s, s, s, hue), 0.8) then RandomGrayscale(0.2). */
    static RandomTransform colour(double strength, double hue) {
        return new RandomApply(new ColorJitter(strength, strength, strength, hue), 0.8)
                .then(new RandomGrayscale(0.2));
    }

    /** RandomApply(GaussianBlur(sigma in [0.1, 2]), 0.5). */
    static RandomTransform blur() {
        return new RandomApply(new RandomGaussianBlur(), 0.5);
    }
}
