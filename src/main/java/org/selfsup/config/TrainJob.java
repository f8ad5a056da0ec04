package org.selfsup.config;

import java.io.PrintWriter;

/**
 * What {@code selfsup train} runs once the effective configuration is known: the training
 * orchestration (data, model, trainer, monitors, report). Keeps the command thin and testable with a
 * fake job.
 */
@FunctionalInterface
public interface TrainJob {
    /**
     * Checks, before anything is printed or loaded, that the run can start: its folder is not in use and is
     * writable and, with {@code resume}, holds a checkpoint (without creating the folder when it does not).
     *
     * @throws org.selfsup.util.UserException naming the folder and the problem
     */
    default void check(TrainConfig config, boolean resume) {}

    /**
     * Trains (or continues) the run described by {@code config}.
     *
     * @param config the validated effective configuration
     * @param resume true when the user asked to continue the run in the run folder ({@code --resume});
     *     the job also continues automatically when the folder holds a checkpoint of the same config
     * @param out console output
     * @return the process exit code (0 success)
     */
    int run(TrainConfig config, boolean resume, PrintWriter out);
}
