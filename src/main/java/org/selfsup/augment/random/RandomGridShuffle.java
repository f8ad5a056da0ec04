package org.selfsup.augment.random;

import java.util.SplittableRandom;
import org.selfsup.augment.RandomTransform;
import org.selfsup.augment.ops.GridShuffle;
import org.selfsup.data.Image;
import org.selfsup.util.Seeds;

/**
 * albumentations {@code RandomGridShuffle(grid=(g, g), p)}: with probability {@code p}, splits the image
 * into a {@code g x g} grid and permutes the tiles uniformly at random.
 */
public final class RandomGridShuffle implements RandomTransform {
    private final int grid;
    private final double p;

    public RandomGridShuffle(int grid, double p) {
        if (grid < 1) {
            throw new IllegalArgumentException("grid must be >= 1: " + grid);
        }
        this.grid = grid;
        this.p = Probability.check(p);
    }

    public int grid() { return grid; }

    /** The tile permutation for this draw, or {@code null} when the shuffle is not applied. */
    public int[] samplePermutation(SplittableRandom rng) {
        if (!(rng.nextDouble() < p)) {
            return null;
        }
        return Seeds.permutation(grid * grid, rng);
    }

    @Override
    public Image apply(Image in, SplittableRandom rng) {
        int[] perm = samplePermutation(rng);
        return perm == null ? in : new GridShuffle(grid, perm).apply(in);
    }
}
