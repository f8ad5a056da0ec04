package org.selfsup.eval;

import org.junit.jupiter.api.Test;
import org.selfsup.config.TrainConfig;
import org.selfsup.data.DatasetDefinition;
import org.selfsup.data.Normalization;
import org.selfsup.data.readers.DatasetRegistry;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class DatasetNormalizationTest {
    @Test
    void fixedStatisticsComeFromTheDefinitionWithoutReadingFiles() {
        for (DatasetDefinition d : DatasetRegistry.ALL) {
            if (!d.fixedNormalization()) {
                continue;
            }
            TrainConfig c = new TrainConfig();
            c.dataset = d.name();
            c.dataDir = "/nonexistent/" + d.name();
            assertSame(d.normalization(), DatasetNormalization.of(c), d.name());
            assertEquals(d.viewSize(), EvalData.inputSize(c), d.name());
        }
    }

    @Test
    void syntheticDataIsNormalisedByItsOwnStatistics() {
        TrainConfig c = new TrainConfig();
        c.dataset = "synthetic";
        Normalization n = DatasetNormalization.of(c);
        assertArrayEquals(EvalData.load(c, null, null).normalization().mean(), n.mean());
        c.imageSize = 20;
        assertEquals(20, EvalData.inputSize(c));
    }
}
