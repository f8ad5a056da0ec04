package org.selfsup.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * Weighted k-nearest-neighbour classifier on L2-normalised features (spec §1.4, InstDisc/MoCo-demo
 * style): for each test feature take the k most cosine-similar bank entries, weight each by
 * {@code exp(sim / t)}, sum the weights per class and predict the argmax.
 *
 * <p>Memory stays bounded for ImageNet-size banks: test rows are processed in chunks, and within a
 * chunk the bank is scanned in chunks while a running top-k (values and global indices) is kept on
 * the device. Only the final c x k similarities and indices of a test chunk come back to the host,
 * where the vote runs (cheap, deterministic tie-breaking).
 */
public final class Knn {
    /** Neighbours used by both original code bases. */
    public static final int DEFAULT_K = 200;
    /** Temperature used by both original code bases. */
    public static final double DEFAULT_T = 0.1;
    /** Banks up to this many floats (1 GiB) are copied to the device once; larger ones are streamed. */
    private static final long MAX_RESIDENT_BANK_FLOATS = 256L << 20;

    private final int k;
    private final double t;
    private final int testChunk;
    private final int bankChunk;

    /** k = 200, t = 0.1 with default chunk sizes (1024 test rows x 16384 bank rows). */
    public Knn() {
        this(DEFAULT_K, DEFAULT_T, 1024, 16384);
    }

    /**
     * @param k         neighbours (clamped to the bank size)
     * @param t         temperature of the exponential weights
     * @param testChunk test rows scored per chunk
     * @param bankChunk bank rows compared per matrix product
     */
    public Knn(int k, double t, int testChunk, int bankChunk) {
        if (k <= 0 || t <= 0 || testChunk <= 0 || bankChunk <= 0) {
            throw new IllegalArgumentException("knn: k, t and chunk sizes must be positive");
        }
        this.k = k;
        this.t = t;
        this.testChunk = testChunk;
        this.bankChunk = bankChunk;
    }

    /**
     * Scores every test row against the bank.
     *
     * @param bank       L2-normalised bank features (train split under the test transform)
     * @param bankLabels label of each bank row in {@code [0, numClasses)}
     * @param test       L2-normalised test features
     * @param testLabels true label of each test row
     */
    public KnnResult evaluate(NDManager manager, FeatureMatrix bank, int[] bankLabels, FeatureMatrix test,
                              int[] testLabels, int numClasses) {
        int[][] ranked = rankClasses(manager, bank, bankLabels, test, numClasses, 5);
        if (testLabels.length != test.rows()) {
            throw new IllegalArgumentException(test.rows() + " test rows but " + testLabels.length + " labels");
        }
        int c1 = 0;
        int c5 = 0;
        for (int i = 0; i < ranked.length; i++) {
            for (int r = 0; r < ranked[i].length; r++) {
                if (ranked[i][r] == testLabels[i]) {
                    c5++;
                    if (r == 0) {
                        c1++;
                    }
                    break;
                }
            }
        }
        int n = test.rows();
        return new KnnResult(100.0 * c1 / n, 100.0 * c5 / n, n, Math.min(k, bank.rows()));
    }

    /**
     * For each test row, the {@code top} best classes by vote score, best first (ties: lower class
     * index first).
     */
    public int[][] rankClasses(NDManager manager, FeatureMatrix bank, int[] bankLabels, FeatureMatrix test,
                               int numClasses, int top) {
        if (bank.dim() != test.dim()) {
            throw new IllegalArgumentException("bank dimension " + bank.dim() + " != test dimension " + test.dim());
        }
        if (bankLabels.length != bank.rows()) {
            throw new IllegalArgumentException(bank.rows() + " bank rows but " + bankLabels.length + " labels");
        }
        int kk = Math.min(k, bank.rows());
        int[][] out = new int[test.rows()][];
        boolean resident = (long) bank.rows() * bank.dim() <= MAX_RESIDENT_BANK_FLOATS;
        try (NDManager bankManager = manager.newSubManager()) {
            NDArray[] residentChunks = resident ? residentBank(bankManager, bank) : null;
            for (int from = 0; from < test.rows(); from += testChunk) {
                int to = Math.min(test.rows(), from + testChunk);
                try (NDManager sub = manager.newSubManager()) {
                    NDArray q = test.toNDArray(sub, from, to);
                    NDArray[] top2 = topNeighbours(sub, q, bank, residentChunks, kk);
                    float[] sims = top2[0].toFloatArray();
                    long[] idx = top2[1].toLongArray();
                    int[] labels = new int[idx.length];
                    for (int j = 0; j < idx.length; j++) {
                        labels[j] = bankLabels[(int) idx[j]];
                    }
                    for (int r = 0; r < to - from; r++) {
                        double[] scores = vote(sims, labels, r * kk, kk, numClasses, t);
                        out[from + r] = ranking(scores, top);
                    }
                }
            }
        }
        return out;
    }

    private NDArray[] residentBank(NDManager m, FeatureMatrix bank) {
        int n = (bank.rows() + bankChunk - 1) / bankChunk;
        NDArray[] chunks = new NDArray[n];
        for (int c = 0; c < n; c++) {
            int b0 = c * bankChunk;
            chunks[c] = bank.toNDArray(m, b0, Math.min(bank.rows(), b0 + bankChunk)).transpose();
        }
        return chunks;
    }

    /** Running top-k over the bank chunks: {values (c x k), global int64 indices (c x k)}, attached to {@code m}. */
    private NDArray[] topNeighbours(NDManager m, NDArray q, FeatureMatrix bank, NDArray[] resident, int kk) {
        NDArray vals = null;
        NDArray idx = null;
        int nChunks = (bank.rows() + bankChunk - 1) / bankChunk;
        for (int c = 0; c < nChunks; c++) {
            int b0 = c * bankChunk;
            int b1 = Math.min(bank.rows(), b0 + bankChunk);
            try (NDManager step = m.newSubManager()) {
                NDArray bt = resident != null ? resident[c] : bank.toNDArray(step, b0, b1).transpose();
                NDArray sims = q.matMul(bt);
                sims.attach(step);
                NDList tk = sims.topK(Math.min(kk, b1 - b0), 1, true, false);
                NDArray v = tk.get(0);
                NDArray i = tk.get(1).addi(step.create((long) b0)); // int64: a float scalar could not hold it
                if (vals != null) {
                    NDArray allV = vals.concat(v, 1);
                    NDArray allI = idx.concat(i, 1);
                    allV.attach(step);
                    allI.attach(step);
                    NDList best = allV.topK(kk, 1, true, false);
                    v = best.get(0);
                    i = allI.gather(best.get(1), 1);
                    vals.close();
                    idx.close();
                }
                v.attach(m);
                i.attach(m);
                vals = v;
                idx = i;
            }
        }
        return new NDArray[] {vals, idx};
    }

    /**
     * The class scores of one test row: {@code score[c] = sum over neighbours j with label c of
     * exp(sims[j] / t)}.
     *
     * @param sims   similarities of the neighbours (any order)
     * @param labels labels of the same neighbours
     * @param offset first neighbour of this row in {@code sims}/{@code labels}
     * @param count  number of neighbours of this row
     */
    public static double[] vote(float[] sims, int[] labels, int offset, int count, int numClasses, double t) {
        double[] scores = new double[numClasses];
        for (int j = offset; j < offset + count; j++) {
            scores[labels[j]] += Math.exp(sims[j] / t);
        }
        return scores;
    }

    /** The {@code top} highest-scoring classes, best first; equal scores rank the lower class index first. */
    public static int[] ranking(double[] scores, int top) {
        int n = Math.min(top, scores.length);
        int[] best = new int[n];
        boolean[] taken = new boolean[scores.length];
        for (int r = 0; r < n; r++) {
            int arg = -1;
            for (int c = 0; c < scores.length; c++) {
                if (!taken[c] && (arg < 0 || scores[c] > scores[arg])) {
                    arg = c;
                }
            }
            taken[arg] = true;
            best[r] = arg;
        }
        return best;
    }
}
