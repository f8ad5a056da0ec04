package org.selfsup.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.selfsup.augment.RandomTransform;
import org.selfsup.data.Image;
import org.selfsup.data.ImageSet;
import org.selfsup.optim.Larc;
import org.selfsup.optim.Optimizer;
import org.selfsup.optim.Sgd;
import org.selfsup.util.Seeds;
import org.selfsup.util.UserException;

/**
 * Trains a linear classifier on a frozen encoder's features under a {@link ProbeProtocol} and scores
 * every test image.
 *
 * <p>Model selection never looks at the test set: the reported number is the final epoch's; with a
 * validation fraction, a seeded part of the training split is held out, the epoch with the best
 * validation accuracy is remembered, and its head is scored on the test set as well.
 *
 * <p>The encoder is frozen and runs in inference mode (BatchNorm uses running statistics; the
 * original RSA probe let them drift, which the project fixes), so test and validation features are
 * extracted once; only the augmented training features are recomputed every epoch.
 */
public final class LinearProbe {
    private static final long KEY_INIT = 1L << 40;
    private static final long KEY_SHUFFLE = 1L << 41;
    private static final int EVAL_CHUNK = 4096;

    private final ProbeProtocol protocol;
    private final long seed;
    private final Consumer<String> log;

    /**
     * @param protocol optimiser, schedule and feature treatment
     * @param seed     run seed (head initialisation, split, shuffling and augmentation streams)
     * @param log      receives one line per epoch
     */
    public LinearProbe(ProbeProtocol protocol, long seed, Consumer<String> log) {
        this.protocol = Objects.requireNonNull(protocol);
        this.seed = seed;
        this.log = Objects.requireNonNull(log);
    }

    /**
     * The full protocol on images.
     *
     * @param encoder       the frozen encoder
     * @param extractBatch  images per encoder forward pass when extracting test/validation features
     * @param train         labelled training split
     * @param test          labelled test split (every image is scored)
     * @param testTransform deterministic transform for test, validation and statistics features
     * @param trainAugment  training augmentation (RandomResizedCrop + flip); unused when the protocol
     *                      does not augment, may then be null
     * @param valFraction   fraction of {@code train} held out for validation, in [0, 1)
     */
    public ProbeResult run(NDManager manager, FeatureEncoder encoder, int extractBatch, ImageSet train,
                           ImageSet test, TestTransform testTransform, RandomTransform trainAugment,
                           double valFraction) {
        if (protocol.augment()) {
            Objects.requireNonNull(trainAugment, "protocol " + protocol.name() + " needs a training augmentation");
        }
        int[][] split = split(train.size(), valFraction, seed);
        ImageSet fit = train.subset(train.name() + "/probe-train", split[0]);
        ImageSet val = split[1].length == 0 ? null : train.subset(train.name() + "/probe-val", split[1]);
        boolean l2 = protocol.standardize();
        FeatureExtractor extractor = new FeatureExtractor(encoder, extractBatch);
        FeatureMatrix testF = extractor.extract(manager, test, testTransform, l2);
        FeatureMatrix valF = val == null ? null : extractor.extract(manager, val, testTransform, l2);
        FeatureMatrix fitF = protocol.standardize() || !protocol.augment()
                ? extractor.extract(manager, fit, testTransform, l2) : null;
        BatchSource source;
        if (protocol.augment()) {
            source = (m, positions, epoch) -> {
                // the encoder is frozen: a large batch (dssl-imagenet's 4096) goes through it in chunks of
                // the extraction batch, and only the whole batch's features are held (no gradient accumulation)
                NDList chunks = new NDList();
                for (int from = 0; from < positions.length; from += extractBatch) {
                    int to = Math.min(positions.length, from + extractBatch);
                    List<Image> images = new ArrayList<>(to - from);
                    for (int i = from; i < to; i++) {
                        int p = positions[i];
                        SplittableRandom rng = Seeds.stream(seed, Seeds.EVAL, epoch, split[0][p]);
                        images.add(trainAugment.apply(fit.rgb(p), rng));
                    }
                    chunks.add(extractor.encodeBatch(m, images, testTransform.normalization(), l2));
                }
                return chunks.size() == 1 ? chunks.get(0) : NDArrays.concat(chunks);
            };
        } else {
            source = (m, positions, epoch) -> fitF.gather(m, positions);
        }
        int dim = testF.dim();
        return train(manager, source, fit.labels(), fitF, dim, train.numClasses(),
                valF, val == null ? new int[0] : val.labels(), testF, test.labels());
    }

    /**
     * The probe on pre-extracted features (the {@code fast} protocol, or tests). Features are used as
     * given (already L2-normalised when the protocol standardises).
     */
    public ProbeResult runOnFeatures(NDManager manager, FeatureMatrix train, int[] trainLabels, FeatureMatrix val,
                                     int[] valLabels, FeatureMatrix test, int[] testLabels, int numClasses) {
        if (protocol.augment()) {
            throw new IllegalArgumentException("protocol " + protocol.name() + " augments images; use run()");
        }
        return train(manager, (m, positions, epoch) -> train.gather(m, positions), trainLabels, train,
                train.dim(), numClasses, val, val == null ? new int[0] : valLabels, test, testLabels);
    }

    /** Training features of a batch, by position in the training split. */
    @FunctionalInterface
    private interface BatchSource {
        NDArray features(NDManager manager, int[] positions, int epoch);
    }

    private ProbeResult train(NDManager manager, BatchSource source, int[] trainLabels, FeatureMatrix statsFeatures,
                              int dim, int numClasses, FeatureMatrix val, int[] valLabels, FeatureMatrix test,
                              int[] testLabels) {
        int n = trainLabels.length;
        if (n == 0) {
            throw new UserException("linear probe: the training split is empty");
        }
        int batch = Math.min(protocol.batchSize(), n);
        int steps = n / batch;
        List<ProbeResult.Epoch> history = new ArrayList<>();
        int bestEpoch = -1;
        double bestVal = Double.NaN;
        float[][] bestHead = null;
        try (NDManager m = manager.newSubManager();
             Standardizer std = protocol.standardize() ? Standardizer.fit(m, statsFeatures) : null;
             LinearHead head = new LinearHead(m, dim, numClasses, protocol.initStd(),
                     Seeds.stream(seed, Seeds.EVAL, KEY_INIT));
             Optimizer opt = optimizer(protocol, head, m)) {
            for (int epoch = 0; epoch < protocol.epochs(); epoch++) {
                double lr = protocol.lrAt(epoch);
                int[] order = Seeds.permutation(n, Seeds.stream(seed, Seeds.EVAL, KEY_SHUFFLE, epoch));
                double lossSum;
                try (NDManager em = m.newSubManager()) {
                    NDArray epochLoss = em.zeros(new Shape());
                    for (int s = 0; s < steps; s++) {
                        int[] pos = Arrays.copyOfRange(order, s * batch, (s + 1) * batch);
                        int[] labels = new int[batch];
                        for (int i = 0; i < batch; i++) {
                            labels[i] = trainLabels[pos[i]];
                        }
                        try (NDManager sm = em.newSubManager()) {
                            NDArray x = source.features(sm, pos, epoch);
                            if (std != null) {
                                x = std.apply(x);
                            }
                            NDArray target = sm.create(labels).oneHot(numClasses);
                            try (GradientCollector gc = m.getEngine()
                                    .newGradientCollector()) {
                                NDArray loss = LinearHead.crossEntropy(head.forward(x, true), target);
                                gc.backward(loss);
                                epochLoss.addi(loss.stopGradient());
                            }
                            opt.step(lr);
                            opt.zeroGrad();
                        }
                    }
                    lossSum = epochLoss.getFloat();
                }
                double valTop1 = Double.NaN;
                if (val != null && val.rows() > 0) {
                    valTop1 = accuracy(m, head, std, val, valLabels)[0];
                    if (bestEpoch < 0 || valTop1 > bestVal) {
                        bestEpoch = epoch;
                        bestVal = valTop1;
                        bestHead = head.snapshot();
                    }
                }
                history.add(new ProbeResult.Epoch(epoch, lr, lossSum / steps, valTop1));
                log.accept(String.format(Locale.ROOT, "probe %s epoch %d/%d lr %.4g loss %.4f%s", protocol.name(),
                        epoch + 1, protocol.epochs(), lr, lossSum / steps,
                        Double.isNaN(valTop1) ? "" : String.format(Locale.ROOT, " val top-1 %.2f", valTop1)));
            }
            double[] finalAcc = accuracy(m, head, std, test, testLabels);
            double atBest = Double.NaN;
            if (bestHead != null) {
                head.restore(bestHead);
                atBest = accuracy(m, head, std, test, testLabels)[0];
            }
            return new ProbeResult(protocol.name(), protocol.epochs(), finalAcc[0], finalAcc[1], test.rows(),
                    val == null ? 0 : val.rows(), bestEpoch, bestVal, atBest, history);
        }
    }

    /** SGD, or LARC around it (apex, clip off) when the protocol has a trust coefficient. */
    static Optimizer optimizer(ProbeProtocol protocol, LinearHead head, NDManager m) {
        if (protocol.larcTrust() > 0) {
            return new Larc(head.parameters(), m, protocol.momentum(), protocol.nesterov(), protocol.weightDecay(),
                    protocol.larcTrust(), Larc.EPS);
        }
        return new Sgd(head.parameters(), m, protocol.momentum(), protocol.nesterov(), protocol.weightDecay());
    }

    /** {top-1, top-5} in percent over every row. */
    private static double[] accuracy(NDManager manager, LinearHead head, Standardizer std, FeatureMatrix f,
                                     int[] labels) {
        int top = Math.min(5, head.numClasses());
        int c1 = 0;
        int c5 = 0;
        for (int from = 0; from < f.rows(); from += EVAL_CHUNK) {
            int to = Math.min(f.rows(), from + EVAL_CHUNK);
            try (NDManager sm = manager.newSubManager()) {
                NDArray x = f.toNDArray(sm, from, to);
                if (std != null) {
                    x = std.apply(x);
                }
                NDList tk = head.forward(x, false).topK(top, 1, true, true);
                long[] idx = tk.get(1).toLongArray();
                for (int r = 0; r < to - from; r++) {
                    for (int j = 0; j < top; j++) {
                        if (idx[r * top + j] == labels[from + r]) {
                            c5++;
                            if (j == 0) {
                                c1++;
                            }
                            break;
                        }
                    }
                }
            }
        }
        return new double[] {100.0 * c1 / f.rows(), 100.0 * c5 / f.rows()};
    }

    /**
     * A seeded split of {@code n} indices into {train, validation}, each in ascending order.
     *
     * @throws UserException if the fraction is outside [0, 1) or leaves an empty part
     */
    public static int[][] split(int n, double valFraction, long seed) {
        if (!(valFraction >= 0 && valFraction < 1)) {
            throw new UserException("--val-fraction: must be in [0, 1), got " + valFraction);
        }
        int nVal = (int) Math.round(n * valFraction);
        if (valFraction > 0 && (nVal == 0 || nVal == n)) {
            throw new UserException("--val-fraction: " + valFraction + " of " + n + " training images leaves an empty split");
        }
        int[] perm = Seeds.permutation(n, Seeds.stream(seed, Seeds.SPLIT));
        int[] val = Arrays.copyOf(perm, nVal);
        int[] fit = Arrays.copyOfRange(perm, nVal, n);
        Arrays.sort(val);
        Arrays.sort(fit);
        return new int[][] {fit, val};
    }

}
