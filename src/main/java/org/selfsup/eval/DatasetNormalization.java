package org.selfsup.eval;

import org.selfsup.config.TrainConfig;
import org.selfsup.data.DatasetDefinition;
import org.selfsup.data.Normalization;
import org.selfsup.data.readers.DatasetRegistry;

/** The per-channel normalisation a run's data set uses, without loading the images when it is fixed. */
public final class DatasetNormalization {
    private DatasetNormalization() {}

    /**
     * The normalisation of {@code config.dataset}: its definition's, or when that depends on the images
     * (synthetic data) the statistics of the loaded data set.
     */
    public static Normalization of(TrainConfig config) {
        DatasetDefinition d = DatasetRegistry.get(config.dataset);
        return d.fixedNormalization() ? d.normalization() : EvalData.load(config, null, null).normalization();
    }
}
