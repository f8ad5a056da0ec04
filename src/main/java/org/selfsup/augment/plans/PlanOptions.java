package org.selfsup.augment.plans;

/**
 * Tunable numbers of the view plans; {@link #defaults()} gives the values of the original recipes.
 *
 * @param randAugN           RandAugment N of the DSSL heavy views (default 2)
 * @param randAugM           RandAugment M, 0–30 scale (default 9)
 * @param hardN              RandAugment N of {@code dssl-byol-harder}'s heavy views (default 8)
 * @param hardM              RandAugment M of {@code dssl-byol-harder}'s heavy views (default 16)
 * @param grid               GridShuffle grid size (default 4, i.e. 4x4 tiles)
 * @param relativeMagnitudes RandAugment pixel magnitudes relative to the image size (default false:
 *                           DSSL's absolute pixels); see {@code RandAugment}
 * @param jitter             colour-jitter strength for brightness, contrast and saturation (default 0.4)
 * @param hue                colour-jitter hue strength (default 0.1)
 * @param hardJitter         colour-jitter strength of {@code dssl-byol-harder}'s heavy views (default 0.5)
 * @param scaleMin           lower bound of the random-resized-crop area fraction (default 0.2)
 * @param evalResize         {@code eval} plan: resize to this side before the centre crop, 0 = no
 *                           resize step (default 0)
 */
public record PlanOptions(int randAugN, int randAugM, int hardN, int hardM, int grid, boolean relativeMagnitudes,
                          double jitter, double hue, double hardJitter, double scaleMin, int evalResize) {

    public PlanOptions {
        if (randAugN < 0 || hardN < 0) {
            throw new IllegalArgumentException("RandAugment N must be >= 0");
        }
        if (randAugM < 0 || randAugM > 30 || hardM < 0 || hardM > 30) {
            throw new IllegalArgumentException("RandAugment M must be in [0, 30]");
        }
        if (grid < 1) {
            throw new IllegalArgumentException("grid must be >= 1: " + grid);
        }
        if (!(scaleMin > 0 && scaleMin <= 1)) {
            throw new IllegalArgumentException("crop scale minimum must be in (0, 1]: " + scaleMin);
        }
        if (evalResize < 0) {
            throw new IllegalArgumentException("eval resize must be >= 0: " + evalResize);
        }
    }

    /** The original recipes' values. */
    public static PlanOptions defaults() {
        return new PlanOptions(2, 9, 8, 16, 4, false, 0.4, 0.1, 0.5, 0.2, 0);
    }

    /** These options with RandAugment(n, m) for the heavy views. */
    public PlanOptions withRandAugment(int n, int m) {
        return new PlanOptions(n, m, hardN, hardM, grid, relativeMagnitudes, jitter, hue, hardJitter, scaleMin, evalResize);
    }

    /** These options with RandAugment(n, m) for {@code dssl-byol-harder}'s heavy views. */
    public PlanOptions withHard(int n, int m) {
        return new PlanOptions(randAugN, randAugM, n, m, grid, relativeMagnitudes, jitter, hue, hardJitter, scaleMin, evalResize);
    }

    public PlanOptions withGrid(int g) {
        return new PlanOptions(randAugN, randAugM, hardN, hardM, g, relativeMagnitudes, jitter, hue, hardJitter, scaleMin, evalResize);
    }

    public PlanOptions withRelativeMagnitudes(boolean relative) {
        return new PlanOptions(randAugN, randAugM, hardN, hardM, grid, relative, jitter, hue, hardJitter, scaleMin, evalResize);
    }

    /** These options with colour-jitter strengths (standard stack) and hue. */
    public PlanOptions withJitter(double strength, double hueStrength) {
        return new PlanOptions(randAugN, randAugM, hardN, hardM, grid, relativeMagnitudes, strength, hueStrength, hardJitter, scaleMin, evalResize);
    }

    public PlanOptions withHardJitter(double strength) {
        return new PlanOptions(randAugN, randAugM, hardN, hardM, grid, relativeMagnitudes, jitter, hue, strength, scaleMin, evalResize);
    }

    public PlanOptions withScaleMin(double min) {
        return new PlanOptions(randAugN, randAugM, hardN, hardM, grid, relativeMagnitudes, jitter, hue, hardJitter, min, evalResize);
    }

    public PlanOptions withEvalResize(int side) {
        return new PlanOptions(randAugN, randAugM, hardN, hardM, grid, relativeMagnitudes, jitter, hue, hardJitter, scaleMin, side);
    }
}
