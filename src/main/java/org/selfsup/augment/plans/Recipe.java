package org.selfsup.augment.plans;

import java.util.ArrayList;
import java.util.List;
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
 * A transform stack as data: its steps in order, with their parameters. The CPU path builds it into a
 * {@link RandomTransform} ({@link #transform}); the device path reads the same steps
 * ({@code augment.device.DevicePlan#of}), so a plan cannot have one recipe on one path and another on the
 * other.
 *
 * @param steps applied in this order
 */
public record Recipe(List<Step> steps) {
    public Recipe {
        steps = List.copyOf(steps);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a recipe needs at least one step");
        }
    }

    /** The recipe of these steps. */
    public static Recipe of(Step... steps) {
        return new Recipe(List.of(steps));
    }

    /** This recipe followed by {@code next} (torchvision {@code Compose}). */
    public Recipe then(Recipe next) {
        List<Step> all = new ArrayList<>(steps);
        all.addAll(next.steps);
        return new Recipe(all);
    }

    /** The CPU transform for views of {@code size x size}: the steps' transforms, chained in order. */
    public RandomTransform transform(int size) {
        RandomTransform t = steps.get(0).transform(size);
        for (int i = 1; i < steps.size(); i++) {
            t = t.then(steps.get(i).transform(size));
        }
        return t;
    }

    /** One step of a recipe. */
    public sealed interface Step permits Crop, Flip, Jitter, Gray, Blur, RandAug, Grid, Either, EvalGeometry {
        /** The CPU transform of this step for views of {@code size x size}. */
        RandomTransform transform(int size);
    }

    /** RandomResizedCrop(size, scale = (scaleMin, scaleMax)), ratio (3/4, 4/3). */
    public record Crop(double scaleMin, double scaleMax) implements Step {
        @Override
        public RandomTransform transform(int size) {
            return new RandomResizedCrop(size, scaleMin, scaleMax);
        }
    }

    /** RandomHorizontalFlip(p). */
    public record Flip(double p) implements Step {
        @Override
        public RandomTransform transform(int size) {
            return new RandomHorizontalFlip(p);
        }
    }

    /** RandomApply(ColorJitter(brightness, contrast, saturation, hue), p). */
    public record Jitter(double brightness, double contrast, double saturation, double hue, double p)
            implements Step {
        @Override
        public RandomTransform transform(int size) {
            return new RandomApply(new ColorJitter(brightness, contrast, saturation, hue), p);
        }
    }

    /** RandomGrayscale(p). */
    public record Gray(double p) implements Step {
        @Override
        public RandomTransform transform(int size) {
            return new RandomGrayscale(p);
        }
    }

    /** RandomApply(GaussianBlur(sigma ~ U(sigmaMin, sigmaMax)), p). */
    public record Blur(double p, double sigmaMin, double sigmaMax) implements Step {
        @Override
        public RandomTransform transform(int size) {
            return new RandomApply(new RandomGaussianBlur(sigmaMin, sigmaMax), p);
        }
    }

    /** RandAugment(n, m), pixel magnitudes relative to the image size when {@code relative}. */
    public record RandAug(int n, int m, boolean relative) implements Step {
        @Override
        public RandomTransform transform(int size) {
            return new RandAugment(n, m, relative);
        }
    }

    /** GridShuffle(grid x grid tiles) with probability p. */
    public record Grid(int grid, double p) implements Step {
        @Override
        public RandomTransform transform(int size) {
            return new RandomGridShuffle(grid, p);
        }
    }

    /** With probability p the first recipe, else the second. */
    public record Either(double p, Recipe first, Recipe second) implements Step {
        @Override
        public RandomTransform transform(int size) {
            return new RandomEither(p, first.transform(size), second.transform(size));
        }
    }

    /** The deterministic test geometry ({@link ResizeCenterCrop}): optional resize, centre crop. */
    public record EvalGeometry(int resize) implements Step {
        @Override
        public RandomTransform transform(int size) {
            return new ResizeCenterCrop(size, resize);
        }
    }
}
