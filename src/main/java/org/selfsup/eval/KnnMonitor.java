package org.selfsup.eval;

import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.selfsup.data.ImageStore;
import org.selfsup.train.TrainLoop;

/**
 * The kNN monitor as a training-loop epoch hook (spec §1.4): every {@code every} epochs (and after
 * the last one) the frozen encoder, in inference mode, embeds the train split (memory bank) and
 * EVERY test image under the test transform, and the weighted kNN vote is scored.
 *
 * <p>Returns {@code knn_top1} and {@code knn_top5} (percent), which the loop logs as an {@code eval}
 * line; returns null on epochs without evaluation.
 */
public final class KnnMonitor implements TrainLoop.EpochHook {
    private final FeatureEncoder encoder;
    private final ImageStore bank;
    private final ImageStore test;
    private final EvalTransform transform;
    private final Knn knn;
    private final int batchSize;
    private final int every;
    private final int epochs;
    private final NDManager manager;

    /**
     * @param encoder   the model's frozen backbone, read at each evaluation (so it sees the current weights)
     * @param bank      labelled train split (memory bank)
     * @param test      labelled test split
     * @param transform test transform
     * @param knn       the classifier (k, t, chunking)
     * @param batchSize images per forward pass
     * @param every     evaluate after every {@code every}-th epoch; 0 = never
     * @param epochs    total epochs of the run (the last epoch is always evaluated when {@code every > 0})
     * @param manager   device manager for the evaluation's temporaries
     */
    public KnnMonitor(FeatureEncoder encoder, ImageStore bank, ImageStore test, EvalTransform transform, Knn knn,
                      int batchSize, int every, int epochs, NDManager manager) {
        this.encoder = Objects.requireNonNull(encoder);
        this.bank = Objects.requireNonNull(bank);
        this.test = Objects.requireNonNull(test);
        this.transform = Objects.requireNonNull(transform);
        this.knn = Objects.requireNonNull(knn);
        this.batchSize = batchSize;
        this.every = every;
        this.epochs = epochs;
        this.manager = Objects.requireNonNull(manager);
    }

    /** Whether 0-based {@code epoch} is evaluated. */
    public boolean due(int epoch) {
        return every > 0 && ((epoch + 1) % every == 0 || epoch + 1 == epochs);
    }

    @Override
    public Map<String, Double> onEpochEnd(int epoch, long step) {
        if (!due(epoch)) {
            return null;
        }
        KnnResult r = evaluate(manager, encoder, bank, test, transform, knn, batchSize);
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("knn_top1", r.top1());
        out.put("knn_top5", r.top5());
        return out;
    }

    /**
     * One kNN evaluation: embeds bank and test under {@code transform} (L2-normalised) and scores every
     * test image.
     */
    public static KnnResult evaluate(NDManager manager, FeatureEncoder encoder, ImageStore bank, ImageStore test,
                                     EvalTransform transform, Knn knn, int batchSize) {
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
