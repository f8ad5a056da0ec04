package org.selfsup.eval;

import java.nio.file.Path;
import org.selfsup.config.TrainConfig;
import org.selfsup.data.Dataset;
import org.selfsup.data.readers.DatasetRegistry;

/** Loads the labelled splits an evaluation runs on: the checkpoint's data set unless overridden. */
public final class EvalData {
    private EvalData() {}

    /**
     * The side of a run's training views: {@code image-size}, or the data set's default when 0 (its
     * definition's; {@link TrainConfig#viewSize}).
     */
    public static int inputSize(TrainConfig config) {
        return config.viewSize(null);
    }

    /**
     * @param config  the run's configuration (dataset, data-dir, image-size)
     * @param dataset data set name overriding the run's, or null
     * @param dataDir data directory overriding the run's, or null
     */
    public static Dataset load(TrainConfig config, String dataset, Path dataDir) {
        String name = dataset != null ? dataset : config.dataset;
        Path dir = dataDir;
        if (dir == null && dataset == null && config.dataDir != null && !config.dataDir.isBlank()) {
            dir = Path.of(config.dataDir);
        }
        return DatasetRegistry.load(name, dir, config.dataOptions());
    }
}
