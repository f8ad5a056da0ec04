package org.selfsup.train;

import ai.djl.ndarray.NDManager;
import java.util.Map;
import org.selfsup.distributed.Distributed;
import org.selfsup.train.checkpoint.TrainState;

/**
 * The ranks' side of the loop in data-parallel training: the fault watchdog runs during an epoch's steps
 * and is suspended at its end, while rank 0 alone writes the checkpoint and evaluates; then every rank
 * meets rank 0 (a check that all stand at the same step) before the next epoch, rank 0 with the
 * watchdog running again. Must be the last
 * listener, so that its {@link #evaluate} runs after rank 0's evaluations. No-op for one process.
 */
public final class DataParallelListener implements TrainingListener {
    private final Distributed dist;
    private final NDManager device;

    /**
     * @param dist   the job
     * @param device a manager on the model's device (for the small check arrays)
     */
    public DataParallelListener(Distributed dist, NDManager device) {
        this.dist = dist;
        this.device = device;
    }

    @Override
    public void onEpochStart(int epoch, int firstBatch) {
        dist.arm("the steps of epoch " + (epoch + 1));
    }

    @Override
    public void onEpochEnd(int epoch, long step, int batches) {
        dist.disarm();
    }

    @Override
    public Map<String, Double> evaluate(int epoch, long step) {
        // The other ranks wait here, unarmed, while rank 0 evaluates (for as long as that takes). Rank 0
        // arrives last, its evaluation done, so for it the meeting is bounded: a rank that hung at the
        // epoch's end would otherwise block it here forever.
        if (dist.writer()) {
            dist.arm("the meeting of the ranks after epoch " + (epoch + 1));
        }
        dist.requireSame("the step at the end of epoch " + (epoch + 1), step, device);
        return Map.of();
    }

    @Override
    public void onStop(TrainState at, boolean complete) {
        dist.disarm();
    }
}
