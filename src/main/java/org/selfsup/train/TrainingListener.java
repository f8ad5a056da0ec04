package org.selfsup.train;

import ai.djl.ndarray.NDArray;
import java.util.Map;
import org.selfsup.train.checkpoint.TrainState;

/**
 * Everything around the training loop that is not the step itself: metrics, checkpoints, divergence and
 * collapse checks, progress, epoch evaluations (kNN monitor, probes). {@link TrainLoop} calls its
 * listeners in the order they were given, at each of these moments:
 * <ol>
 *   <li>{@link #wantsValues} before a step: whether this listener needs the step's values read back to
 *       the host (a host sync on a GPU, so only on logged and checkpointed steps);</li>
 *   <li>{@link #onEpochStart} before an epoch's (or a resumed epoch's) first step;</li>
 *   <li>{@link #onStep} after every step;</li>
 *   <li>{@link #onEpochEnd} after an epoch's last step;</li>
 *   <li>{@link #evaluate} after every listener's {@link #onEpochEnd} (so after the epoch's checkpoint);
 *       the results of all listeners are merged into one map, and</li>
 *   <li>{@link #onEvaluation} is called with it when it is not empty (the metrics listener writes the
 *       {@code eval} line);</li>
 *   <li>{@link #onStop} when the loop returns or fails.</li>
 * </ol>
 * A listener must not change the model's parameters, or resume would no longer be exact.
 */
public interface TrainingListener {
    /**
     * One finished step.
     *
     * @param step        global step k (1-based)
     * @param epoch       0-based epoch
     * @param batch       0-based index of the step's batch in its epoch
     * @param lastOfEpoch whether it was the epoch's last batch
     * @param lr          its learning rate
     * @param tau         its EMA rate (NaN without a target network)
     * @param waitNanos   how long the loop waited for its batch
     * @param values      the step's values read back to the host (schedule values, {@code loss}, loss terms,
     *                    {@code shift_*}, diagnostics such as {@code proj_std}), in logging order; null
     *                    when no listener asked for them. Mutable: a listener called before the metrics
     *                    listener may add its own values to the step's line (the online probe does)
     * @param views       the step's input views by name (the method's order), on the device, alive only during
     *                    {@link #onStep}; read them, never change them
     */
    record StepEvent(long step, int epoch, int batch, boolean lastOfEpoch, double lr, double tau, long waitNanos,
                     Map<String, Double> values, Map<String, NDArray> views) {
        /** The training state after this step (what a checkpoint written now resumes from). */
        public TrainState after() {
            return new TrainState(step, epoch, batch + 1);
        }
    }

    /**
     * Whether this listener needs the values of the coming step.
     *
     * @param step        global step k of the coming step
     * @param batch       0-based index of its batch in the epoch
     * @param lastOfEpoch whether it is the epoch's last batch
     */
    default boolean wantsValues(long step, int batch, boolean lastOfEpoch) {
        return false;
    }

    /** Before the first step of {@code epoch}, which starts at {@code firstBatch} (not 0 after a resume). */
    default void onEpochStart(int epoch, int firstBatch) {}

    /** After every step. */
    default void onStep(StepEvent step) {}

    /**
     * After an epoch's last step.
     *
     * @param epoch   0-based epoch just finished
     * @param step    global step k at its end
     * @param batches batches trained in it by this run (fewer than the epoch's after a mid-epoch resume)
     */
    default void onEpochEnd(int epoch, long step, int batches) {}

    /**
     * The evaluation of a finished epoch, after its checkpoint (also re-run on resume when a kill
     * interrupted it).
     *
     * @return named results (e.g. {@code knn_top1}), empty when this listener does not evaluate this epoch
     */
    default Map<String, Double> evaluate(int epoch, long step) {
        return Map.of();
    }

    /** The merged, non-empty results of every listener's {@link #evaluate} for {@code epoch}. */
    default void onEvaluation(int epoch, long step, Map<String, Double> results) {}

    /**
     * When the loop stops: at the end, after {@code stopAfterSteps}, or on an exception.
     *
     * @param at       the state reached
     * @param complete whether every step of the run is done
     */
    default void onStop(TrainState at, boolean complete) {}
}
