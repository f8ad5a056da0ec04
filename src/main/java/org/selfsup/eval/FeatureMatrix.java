package org.selfsup.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * An N x D float matrix on the host, stored as row blocks so it may exceed the 2^31 element limit of
 * one Java array (an ImageNet bank is 1.28M x 2048). Rows are appended in blocks, as a feature
 * extractor produces them; ranges are copied to the device on demand.
 */
public final class FeatureMatrix {
    private final int dim;
    private final List<float[]> blocks = new ArrayList<>();
    private final List<Integer> blockStarts = new ArrayList<>();
    private int rows;

    /** An empty matrix with {@code dim} columns. */
    public FeatureMatrix(int dim) {
        if (dim <= 0) {
            throw new IllegalArgumentException("feature dimension must be positive: " + dim);
        }
        this.dim = dim;
    }

    /** A matrix holding a copy of {@code data} (row-major, {@code data.length / dim} rows). */
    public static FeatureMatrix of(float[] data, int dim) {
        FeatureMatrix m = new FeatureMatrix(dim);
        m.append(data.clone());
        return m;
    }

    /** Appends rows given row-major (length a multiple of {@link #dim()}); the array is kept, not copied. */
    public void append(float[] rowMajor) {
        if (rowMajor.length % dim != 0) {
            throw new IllegalArgumentException("block length " + rowMajor.length + " is not a multiple of " + dim);
        }
        if (rowMajor.length == 0) {
            return;
        }
        blocks.add(rowMajor);
        blockStarts.add(rows);
        rows += rowMajor.length / dim;
    }

    public int rows() { return rows; }
    public int dim() { return dim; }

    /** Copy of row {@code i}. */
    public float[] row(int i) {
        float[] out = new float[dim];
        copyRows(i, i + 1, out, 0);
        return out;
    }

    /** Rows {@code [from, to)} as a new row-major array. */
    public float[] rows(int from, int to) {
        if (from < 0 || to > rows || from > to) {
            throw new IndexOutOfBoundsException("rows [" + from + ", " + to + ") of " + rows);
        }
        float[] out = new float[(to - from) * dim];
        copyRows(from, to, out, 0);
        return out;
    }

    /** Rows {@code [from, to)} as a (to - from) x D NDArray created by {@code manager} (one copy). */
    public NDArray toNDArray(NDManager manager, int from, int to) {
        return manager.create(rows(from, to), new Shape(to - from, dim));
    }

    /** The rows at {@code indices}, in that order, as a len x D NDArray created by {@code manager}. */
    public NDArray gather(NDManager manager, int[] indices) {
        float[] out = new float[indices.length * dim];
        for (int k = 0; k < indices.length; k++) {
            copyRows(indices[k], indices[k] + 1, out, k);
        }
        return manager.create(out, new Shape(indices.length, dim));
    }

    private void copyRows(int from, int to, float[] out, int outRow) {
        int b = blockIndex(from);
        int r = from;
        while (r < to) {
            int start = blockStarts.get(b);
            float[] block = blocks.get(b);
            int blockRows = block.length / dim;
            int n = Math.min(to, start + blockRows) - r;
            System.arraycopy(block, (r - start) * dim, out, (outRow + r - from) * dim, n * dim);
            r += n;
            b++;
        }
    }

    private int blockIndex(int row) {
        int lo = 0;
        int hi = blockStarts.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (blockStarts.get(mid) <= row) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }
}
