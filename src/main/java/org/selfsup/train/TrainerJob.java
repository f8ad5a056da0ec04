package org.selfsup.train;

import java.io.PrintWriter;
import org.selfsup.config.TrainConfig;
import org.selfsup.config.TrainJob;

/**
 * The {@link TrainJob} behind {@code selfsup train} (registered in
 * {@code META-INF/services/org.selfsup.config.TrainJob}): runs the {@link Trainer} and maps a diverged
 * loss to exit code 3. Epoch listeners (kNN monitor) and the report are added by the orchestration that
 * registers its own job; this one trains only.
 */
public final class TrainerJob implements TrainJob {
    /** Exit code of a run stopped by a NaN or infinite loss. */
    public static final int EXIT_DIVERGED = 3;

    @Override
    public int run(TrainConfig config, boolean resume, PrintWriter out) {
        try {
            TrainLoop.Result r = new Trainer(config, out).terminal(ProgressBar.isTerminal())
                    .requireCheckpoint(resume).run();
            out.println("done: " + r.state().step() + " steps; checkpoints in " + config.runDirPath().resolve("checkpoints"));
            out.flush();
            return 0;
        } catch (TrainingDivergedException e) {
            out.println("error: " + e.getMessage());
            out.flush();
            return EXIT_DIVERGED;
        }
    }
}
