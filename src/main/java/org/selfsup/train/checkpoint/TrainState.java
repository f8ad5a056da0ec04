package org.selfsup.train.checkpoint;

/**
 * Where a run stands: the counters a checkpoint saves. Every random choice of the run is derived from
 * the seed and these counters ({@code util.Seeds}: the shuffle from (seed, epoch), augmentation from
 * (seed, epoch, image index)), so they are the whole RNG state.
 *
 * @param step  global steps done, k (the next step is k + 1)
 * @param epoch epoch of the next step (0-based)
 * @param batch batch index of the next step within {@code epoch}
 */
public record TrainState(long step, int epoch, int batch) {
    /** A run that has not started. */
    public static final TrainState START = new TrainState(0, 0, 0);
}
