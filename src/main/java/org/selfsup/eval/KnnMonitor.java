package org.selfsup.eval;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.selfsup.config.Choices;
import org.selfsup.config.TrainConfig;
import org.selfsup.data.Dataset;
import org.selfsup.data.ImageSet;
import org.selfsup.model.SslModel;
import org.selfsup.runtime.Precision;
import org.selfsup.train.TrainingListener;
import org.selfsup.train.checkpoint.RunPoints;
import org.selfsup.util.MetricKeys;

/**
 * The kNN monitor as a training listener (spec §1.4): every {@code every} epochs (and after the
 * last one) the frozen backbone, in inference mode, embeds the train split (memory bank) and EVERY
 * test image under the test transform (ToTensor + Normalize), and the weighted kNN vote is scored.
 *
 * <p>Its evaluation returns {@code knn_top1} and {@code knn_top5} (percent), which the metrics listener
 * logs as an {@code eval} line; nothing on epochs without evaluation. It only reads the model it watches
 * ({@link #watching}).
 */
public final class KnnMonitor implements TrainingListener {
    /** Images per forward pass of the monitor. */
    public static final int BATCH = 256;

    private final ImageSet bank;
    private final ImageSet test;
    private final TestTransform transform;
    private final Knn knn;
    private final int batchSize;
    private final int every;
    private final int epochs;
    private final SslModel watched;
    private final Precision precision;

    /**
     * @param bank      labelled train split (memory bank)
     * @param test      labelled test split
     * @param transform test transform
     * @param knn       the classifier (k, t, chunking)
     * @param batchSize images per forward pass
     * @param every     evaluate after every {@code every}-th epoch; 0 = never
     * @param epochs    total epochs of the run (the last epoch is always evaluated when {@code every > 0})
     */
    public KnnMonitor(ImageSet bank, ImageSet test, TestTransform transform, Knn knn, int batchSize, int every,
                      int epochs) {
        this(bank, test, transform, knn, batchSize, every, epochs, null, Precision.FP32);
    }

    private KnnMonitor(ImageSet bank, ImageSet test, TestTransform transform, Knn knn, int batchSize, int every,
                       int epochs, SslModel watched, Precision precision) {
        this.bank = Objects.requireNonNull(bank);
        this.test = Objects.requireNonNull(test);
        this.transform = Objects.requireNonNull(transform);
        this.knn = Objects.requireNonNull(knn);
        this.batchSize = batchSize;
        this.every = every;
        this.epochs = epochs;
        this.watched = watched;
        this.precision = Objects.requireNonNull(precision);
    }

    /** This monitor, evaluating {@code model} (the model being trained) at its epochs. */
    public KnnMonitor watching(SslModel model) {
        return new KnnMonitor(bank, test, transform, knn, batchSize, every, epochs, Objects.requireNonNull(model),
                precision);
    }

    /**
     * This monitor computing features at {@code precision} (the run's); features are upcast to float32
     * before normalisation and the vote.
     */
    public KnnMonitor atPrecision(Precision precision) {
        return new KnnMonitor(bank, test, transform, knn, batchSize, every, epochs, watched, precision);
    }

    /**
     * The monitor a run's configuration asks for: {@code knn-every}, {@code knn-k}, {@code knn-t},
     * {@code knn-transform}, computing features at the run's {@code precision}.
     */
    public static KnnMonitor forRun(TrainConfig config, Dataset ds, Precision precision) {
        return new KnnMonitor(ds.train(), ds.test(), transform(config, ds),
                new Knn(config.knnK, config.knnT, 1024, 16384), BATCH, config.knnEvery, config.epochs)
                .atPrecision(precision);
    }

    /**
     * The monitor's test geometry ({@code knn-transform}): {@code plain} = ToTensor + Normalize (RSA's
     * monitor, no resize; streamed full-resolution pictures get the ImageNet geometry instead, see
     * {@link TestTransform#of}); {@code dssl-cifar} = Resize(S·36/32, bicubic) + CenterCrop(S) for views
     * of side S, DSSL's CIFAR monitor (36 and 32 on CIFAR).
     */
    public static TestTransform transform(TrainConfig config, Dataset ds) {
        return transform(config.knnTransform, ds, config.viewSize(ds));
    }

    /**
     * The test geometry {@code knnTransform} (a {@code knn-transform} value) on {@code ds} for views of side
     * {@code size}: the monitor's, and {@code eval knn}'s with the run's value.
     */
    public static TestTransform transform(String knnTransform, Dataset ds, int size) {
        return switch (Choices.of(Choices.KnnTransform.class, knnTransform)) {
            case DSSL_CIFAR -> ProbeProtocol.DSSL_CIFAR.testTransform(ds.normalization(), size, ds.test());
            case PLAIN -> TestTransform.of(ds, size);
        };
    }

    /** Whether 0-based {@code epoch} is evaluated. */
    public boolean due(int epoch) {
        return every > 0 && ((epoch + 1) % every == 0 || epoch + 1 == epochs);
    }

    @Override
    public Map<String, Double> evaluate(int epoch, long step) {
        if (!due(epoch)) {
            return Map.of();
        }
        if (watched == null) {
            throw new IllegalStateException("the kNN monitor watches no model (see watching)");
        }
        RunPoints.reach("eval");
        KnnResult r = evaluate(watched);
        Map<String, Double> out = new LinkedHashMap<>();
        out.put(MetricKeys.KNN_TOP1, r.top1());
        out.put(MetricKeys.KNN_TOP5, r.top5());
        return out;
    }

    /**
     * Scores {@code model}'s backbone now, on its own device (e.g. the same encoder at random
     * initialisation, for the baseline the demo prints next to the trained result).
     */
    public KnnResult evaluate(SslModel model) {
        Device device = model.backbone().getParameters().valueAt(0).getArray().getDevice();
        try (NDManager manager = NDManager.newBaseManager(device)) {
            return evaluate(manager, Encoders.backbone(model, manager, precision), bank, test, transform, knn,
                    batchSize);
        }
    }

    /**
     * The same kNN protocol on raw pixels: each image under the test transform, normalised and
     * flattened, is its own feature vector. The baseline any encoder must beat to have learnt
     * something a pixel-space nearest neighbour does not already know (on Fashion-MNIST it is strong).
     */
    public KnnResult evaluateRawPixels() {
        try (NDManager manager = NDManager.newBaseManager()) {
            return evaluate(manager, x -> x, bank, test, transform, knn, batchSize);
        }
    }

    /**
     * One kNN evaluation: embeds bank and test under {@code transform} (L2-normalised) and scores every
     * test image.
     */
    public static KnnResult evaluate(NDManager manager, FeatureEncoder encoder, ImageSet bank, ImageSet test,
                                     TestTransform transform, Knn knn, int batchSize) {
        if (bank.numClasses() == 0 || test.numClasses() == 0) {
            throw new IllegalArgumentException("kNN needs labelled splits: " + bank.name() + ", " + test.name());
        }
        FeatureExtractor fx = new FeatureExtractor(encoder, batchSize);
        try (NDManager sub = manager.newSubManager()) {
            FeatureMatrix b = fx.extract(sub, bank, transform, true);
            FeatureMatrix t = fx.extract(sub, test, transform, true);
            return knn.evaluate(sub, b, bank.labels(), t, test.labels(), bank.numClasses());
        }
    }
}
