package org.selfsup.eval;

import org.selfsup.data.ImageSet;
import org.selfsup.data.Shard;

/**
 * The labels of the images of a training batch, recomputed from what decides the batch: the epoch's order
 * ({@link ImageSet#epochOrder}, a function of seed and epoch), this rank's {@link Shard} of it and the batch
 * index, exactly as the batch sources cut it (drop-last batches of the per-rank batch size). Labels are
 * {@code -1} for unlabelled images (e.g. STL-10's unlabelled split).
 */
public final class BatchLabels {
    private final ImageSet pretrain;
    private final long seed;
    private final Shard shard;
    private final int batchSize;
    private int cachedEpoch = -1;
    private int[] order;

    /**
     * @param pretrain  the pretraining images (the batches' source)
     * @param seed      the run seed
     * @param shard     this rank's share of every epoch
     * @param batchSize images per batch on this rank
     */
    public BatchLabels(ImageSet pretrain, long seed, Shard shard, int batchSize) {
        this.pretrain = pretrain;
        this.seed = seed;
        this.shard = shard;
        this.batchSize = batchSize;
    }

    /** Whether any pretraining image has a label (else there is nothing to probe). */
    public static boolean any(ImageSet pretrain) {
        if (pretrain.numClasses() == 0) {
            return false;
        }
        for (int l : pretrain.labels()) {
            if (l >= 0) {
                return true;
            }
        }
        return false;
    }

    /** The number of classes. */
    public int numClasses() {
        return pretrain.numClasses();
    }

    /** The labels of batch {@code batch} of {@code epoch}, in batch order. */
    public int[] of(int epoch, int batch) {
        if (epoch != cachedEpoch) {
            order = shard.of(pretrain.epochOrder(seed, epoch));
            cachedEpoch = epoch;
        }
        int[] out = new int[batchSize];
        for (int i = 0; i < batchSize; i++) {
            out[i] = pretrain.label(order[batch * batchSize + i]);
        }
        return out;
    }
}
