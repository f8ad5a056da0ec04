package org.selfsup.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import org.selfsup.config.TrainConfig;
import org.selfsup.model.ModelSpec;
import org.selfsup.model.SslModel;
import org.selfsup.train.checkpoint.Checkpoint;
import org.selfsup.train.checkpoint.CheckpointFile;
import org.selfsup.train.checkpoint.TrainState;

/** Writes checkpoints in the trainer's format for evaluation tests. */
final class TestCheckpoints {
    private TestCheckpoints() {}

    /** A checkpoint of {@code model} (saved whole, as the trainer does) with a trailing empty optimiser part. */
    static void write(Path file, TrainConfig config, ModelSpec spec, SslModel model, int epoch) throws IOException {
        String specJson = new ObjectMapper().writeValueAsString(spec);
        Checkpoint.Header h = new Checkpoint.Header(config.toJson(), specJson, new TrainState(epoch * 10L, epoch, 0),
                config.seed);
        CheckpointFile.write(file, out -> {
            Checkpoint.writeHeader(out, h);
            model.save(out);
            out.writeBoolean(false);
        });
    }

    /** A synthetic-data configuration at 16x16 with a small ResNet. */
    static TrainConfig syntheticConfig() {
        TrainConfig c = new TrainConfig();
        c.dataset = "synthetic";
        c.imageSize = 16;
        c.arch = "small";
        c.width = 8;
        c.method = "rsa";
        return c;
    }
}
