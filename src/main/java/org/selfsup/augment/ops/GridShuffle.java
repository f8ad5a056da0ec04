package org.selfsup.augment.ops;

import java.util.Arrays;
import org.selfsup.augment.ImageOp;
import org.selfsup.data.Image;

/**
 * albumentations {@code RandomGridShuffle} with a fixed permutation: the image is split into
 * grid x grid tiles of (H/grid) x (W/grid) pixels in row-major order and output tile i is input
 * tile {@code permutation[i]}. Pixels beyond the last full tile (when the size is not divisible)
 * stay in place.
 */
public final class GridShuffle implements ImageOp {
    private final int grid;
    private final int[] permutation;

    /** @param permutation a permutation of 0 .. grid*grid-1 */
    public GridShuffle(int grid, int[] permutation) {
        if (grid <= 0 || permutation.length != grid * grid) {
            throw new IllegalArgumentException("grid shuffle needs grid > 0 and grid*grid permutation entries: grid="
                    + grid + ", entries=" + permutation.length);
        }
        boolean[] seen = new boolean[permutation.length];
        for (int p : permutation) {
            if (p < 0 || p >= seen.length || seen[p]) {
                throw new IllegalArgumentException("not a permutation: " + Arrays.toString(permutation));
            }
            seen[p] = true;
        }
        this.grid = grid;
        this.permutation = permutation.clone();
    }

    @Override
    public Image apply(Image in) {
        int c = in.channels();
        int th = in.height() / grid;
        int tw = in.width() / grid;
        byte[] src = in.data();
        byte[] out = src.clone();
        int row = in.width() * c;
        for (int i = 0; i < permutation.length; i++) {
            int oy = (i / grid) * th;
            int ox = (i % grid) * tw;
            int j = permutation[i];
            int sy = (j / grid) * th;
            int sx = (j % grid) * tw;
            for (int y = 0; y < th; y++) {
                System.arraycopy(src, (sy + y) * row + sx * c, out, (oy + y) * row + ox * c, tw * c);
            }
        }
        return Pixels.like(in, out);
    }

    @Override
    public String toString() {
        return "GridShuffle(" + grid + ", " + Arrays.toString(permutation) + ")";
    }
}
