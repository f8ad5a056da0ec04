package org.selfsup.train;

import java.nio.file.Path;
import java.util.Locale;
import org.selfsup.util.MetricKeys;

/**
 * Health checks on every step whose values were read back: a NaN or infinite loss stops the run with a
 * {@link TrainingDivergedException} (before that step could be checkpointed); a per-dimension std of the
 * normalised projections ({@code proj_std}) below {@code collapse-std} prints a collapse warning, once
 * per epoch.
 */
public final class DivergenceListener implements TrainingListener {
    private final ProgressBar console;
    private final double collapseStd;
    private final Path checkpoints;
    private int collapseWarnedEpoch = -1;

    /**
     * @param console     where the collapse warning goes
     * @param collapseStd the collapse threshold
     * @param checkpoints the checkpoint folder (named in the divergence message)
     */
    public DivergenceListener(ProgressBar console, double collapseStd, Path checkpoints) {
        this.console = console;
        this.collapseStd = collapseStd;
        this.checkpoints = checkpoints;
    }

    @Override
    public void onStep(StepEvent e) {
        if (e.values() == null) {
            return;
        }
        double loss = e.values().get(MetricKeys.LOSS);
        if (!Double.isFinite(loss)) {
            throw new TrainingDivergedException("loss is " + loss + " at step " + e.step() + " (epoch "
                    + (e.epoch() + 1) + "); training stopped. The last good checkpoint is kept in " + checkpoints
                    + " (lower the learning rate, or check the data)", e.step());
        }
        double std = e.values().getOrDefault(MetricKeys.PROJ_STD, Double.NaN);
        if (std < collapseStd && collapseWarnedEpoch != e.epoch()) {
            collapseWarnedEpoch = e.epoch();
            console.message(String.format(Locale.ROOT,
                    "warning: possible collapse at step %d: std of normalised projections %.5f < collapse-std %s",
                    e.step(), std, collapseStd));
        }
    }
}
