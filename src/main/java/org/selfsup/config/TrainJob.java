package org.selfsup.config;

import java.io.PrintWriter;
import java.util.ServiceLoader;

/**
 * What {@code selfsup train} runs once the effective configuration is known: the training
 * orchestration (data, model, trainer, monitors, report). Keeps the command thin and testable with a
 * fake job.
 */
@FunctionalInterface
public interface TrainJob {
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

    /**
     * The job {@code selfsup train} uses: the first {@code TrainJob} registered as a service
     * ({@code META-INF/services/org.selfsup.config.TrainJob}), else one that reports that no trainer is
     * wired into this build.
     */
    static TrainJob defaultJob() {
        return ServiceLoader.load(TrainJob.class).findFirst().orElse((config, resume, out) -> {
            out.println("error: no trainer is wired into this build (org.selfsup.config.TrainJob)");
            out.flush();
            return 1;
        });
    }
}
