package org.selfsup.train;

/**
 * The loss became NaN or infinite. The run stops; the last checkpoint in the run folder is the last good
 * state (checkpoints are only written after a finite loss). The CLI maps it to exit code 3.
 */
public class TrainingDivergedException extends RuntimeException {
    private final long step;

    public TrainingDivergedException(String message, long step) {
        super(message);
        this.step = step;
    }

    /** The step whose loss was not finite. */
    public long step() {
        return step;
    }
}
