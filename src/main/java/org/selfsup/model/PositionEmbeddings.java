package org.selfsup.model;

/**
 * Resizing a ViT's position embeddings {@code [1, prefix + g*g, D]} to another grid on the host, with the
 * prefix (class-token) rows kept, as timm's {@code resample_abs_pos_embed} does when it loads a checkpoint
 * made for another image size: the grid is seen as a D-channel g x g image and resized bicubically with
 * PyTorch's {@code F.interpolate(mode='bicubic', align_corners=False)}, with ({@link #ANTIALIAS}, timm's
 * default since 0.9) or without antialiasing (DINO's and MAE's own code). Both are reproduced exactly
 * (separable; computed in double precision):
 * <ul>
 *   <li>without antialiasing ({@code upsample_bicubic2d}): Keys' cubic convolution with A = -0.75 on the
 *       four nearest samples of {@code x = scale (i + 0.5) - 0.5}, indices clamped to the edge;</li>
 *   <li>with antialiasing ({@code _upsample_bicubic2d_aa}, PIL's filter): the cubic with a = -0.5 stretched by
 *       the scale when shrinking, support {@code 2 max(scale, 1)} around {@code scale (i + 0.5)}, weights
 *       normalised to sum 1.</li>
 * </ul>
 * The forward pass of {@link VisionTransformer} resizes on the device with libtorch's antialiased bicubic
 * instead (the same values, differentiably).
 */
public final class PositionEmbeddings {
    private PositionEmbeddings() {}

    /** Whether weight import resizes with antialiasing (timm's {@code checkpoint_filter_fn} default). */
    public static final boolean ANTIALIAS = true;

    /**
     * The embeddings {@code pos} ({@code prefix + oldGrid^2} rows of {@code dim} values, row-major) on a
     * {@code newGrid x newGrid} grid.
     */
    public static float[] resample(float[] pos, int prefix, int oldGrid, int newGrid, int dim, boolean antialias) {
        if (pos.length != (long) (prefix + oldGrid * oldGrid) * dim) {
            throw new IllegalArgumentException("position embeddings of " + pos.length + " values are not " + prefix
                    + " + " + oldGrid + "^2 rows of " + dim);
        }
        float[] out = new float[(prefix + newGrid * newGrid) * dim];
        System.arraycopy(pos, 0, out, 0, prefix * dim);
        Taps taps = antialias ? antialiased(oldGrid, newGrid) : cubic(oldGrid, newGrid);
        int base = prefix * dim;
        double[] rows = new double[oldGrid * newGrid]; // per channel: resized along the width first, as PyTorch
        for (int c = 0; c < dim; c++) {
            for (int y = 0; y < oldGrid; y++) {
                for (int x = 0; x < newGrid; x++) {
                    double s = 0;
                    for (int k = 0; k < taps.index[x].length; k++) {
                        s += taps.weight[x][k] * pos[base + (y * oldGrid + taps.index[x][k]) * dim + c];
                    }
                    rows[y * newGrid + x] = s;
                }
            }
            for (int y = 0; y < newGrid; y++) {
                for (int x = 0; x < newGrid; x++) {
                    double s = 0;
                    for (int k = 0; k < taps.index[y].length; k++) {
                        s += taps.weight[y][k] * rows[taps.index[y][k] * newGrid + x];
                    }
                    out[base + (y * newGrid + x) * dim + c] = (float) s;
                }
            }
        }
        return out;
    }

    /** The temperature of MoCo v3's sin-cos position embedding. */
    public static final double SINCOS_TEMPERATURE = 10000.0;

    /**
     * MoCo v3's fixed 2-D sin-cos position embedding ({@code vits.py},
     * {@code VisionTransformerMoCo.build_2d_sincos_position_embedding}) for a {@code grid x grid} patch grid and
     * width {@code dim} (a multiple of 4): {@code 1 + grid^2} rows of {@code dim} values, row-major, the first
     * (the class token's) zero. With {@code q = dim / 4}, {@code omega_d = 1 / 10000^(d / q)} and patch token
     * {@code m} (timm's order, row by row), {@code a = m / grid}, {@code b = m % grid} (the released code's
     * {@code torch.meshgrid(grid_w, grid_h)} with its default 'ij' indexing, so its "w" coordinate is the row):
     * {@code [sin(a omega), cos(a omega), sin(b omega), cos(b omega)]}. Computed in float32 steps as the released
     * code does ({@code omega} and the products in float32).
     *
     * @throws IllegalArgumentException when {@code dim} is not a positive multiple of 4 or {@code grid < 1}
     */
    public static float[] sincos2d(int grid, int dim) {
        if (dim < 4 || dim % 4 != 0 || grid < 1) {
            throw new IllegalArgumentException("sin-cos position embedding needs a width divisible by 4 and a grid, got "
                    + dim + " and " + grid);
        }
        int q = dim / 4;
        float[] omega = new float[q];
        for (int d = 0; d < q; d++) {
            float e = (float) d / q;
            omega[d] = (float) (1.0 / (float) Math.pow(SINCOS_TEMPERATURE, e));
        }
        float[] out = new float[(1 + grid * grid) * dim];
        for (int m = 0; m < grid * grid; m++) {
            float a = m / grid;
            float b = m % grid;
            int row = (1 + m) * dim;
            for (int d = 0; d < q; d++) {
                float x = a * omega[d];
                float y = b * omega[d];
                out[row + d] = (float) Math.sin(x);
                out[row + q + d] = (float) Math.cos(x);
                out[row + 2 * q + d] = (float) Math.sin(y);
                out[row + 3 * q + d] = (float) Math.cos(y);
            }
        }
        return out;
    }

    /** Per output index: the input indices it reads and their weights. */
    private record Taps(int[][] index, double[][] weight) {}

    private static final double A_PLAIN = -0.75;
    private static final double A_ANTIALIAS = -0.5;

    private static double near(double x, double a) {
        return ((a + 2) * x - (a + 3)) * x * x + 1;
    }

    private static double far(double x, double a) {
        return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
    }

    private static Taps cubic(int in, int out) {
        double scale = (double) in / out;
        int[][] index = new int[out][4];
        double[][] weight = new double[out][4];
        for (int i = 0; i < out; i++) {
            double real = scale * (i + 0.5) - 0.5;
            int floor = (int) Math.floor(real);
            double t = real - floor;
            double[] w = {far(t + 1, A_PLAIN), near(t, A_PLAIN), near(1 - t, A_PLAIN), far(2 - t, A_PLAIN)};
            for (int k = 0; k < 4; k++) {
                index[i][k] = Math.min(Math.max(floor - 1 + k, 0), in - 1);
                weight[i][k] = w[k];
            }
        }
        return new Taps(index, weight);
    }

    private static double aaFilter(double x) {
        x = Math.abs(x);
        if (x < 1) {
            return near(x, A_ANTIALIAS);
        }
        return x < 2 ? (((x - 5) * x + 8) * x - 4) * A_ANTIALIAS : 0;
    }

    private static Taps antialiased(int in, int out) {
        double scale = (double) in / out;
        double support = scale >= 1 ? 2 * scale : 2;
        double invScale = scale >= 1 ? 1 / scale : 1;
        int[][] index = new int[out][];
        double[][] weight = new double[out][];
        for (int i = 0; i < out; i++) {
            double center = scale * (i + 0.5);
            int min = Math.max((int) (center - support + 0.5), 0); // C's truncating cast, as PyTorch
            int size = Math.min((int) (center + support + 0.5), in) - min;
            index[i] = new int[size];
            weight[i] = new double[size];
            double total = 0;
            for (int j = 0; j < size; j++) {
                double w = aaFilter((j + min - center + 0.5) * invScale);
                index[i][j] = min + j;
                weight[i][j] = w;
                total += w;
            }
            for (int j = 0; j < size; j++) {
                weight[i][j] = total != 0 ? weight[i][j] / total : 0;
            }
        }
        return new Taps(index, weight);
    }
}
