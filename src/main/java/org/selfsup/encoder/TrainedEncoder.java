package org.selfsup.encoder;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.selfsup.config.TrainConfig;
import org.selfsup.model.ModelSpec;
import org.selfsup.model.SslModel;
import org.selfsup.train.checkpoint.Checkpoint;
import org.selfsup.train.checkpoint.CheckpointFile;
import org.selfsup.train.checkpoint.CheckpointStore;
import org.selfsup.util.UserException;

/**
 * A pretrained encoder read from a checkpoint: the run's configuration and a backbone-only model (no
 * projector, predictor or target), ready for {@code model.features(ps, x, false)}.
 */
public record TrainedEncoder(TrainConfig config, SslModel model) implements AutoCloseable {
    /**
     * Reads the online backbone of a checkpoint for evaluation or export.
     *
     * @param file    a checkpoint file, or a run folder (its newest good checkpoint is used, falling back
     *                past corrupt ones with a warning on stderr)
     * @param manager where the model's arrays go (its device)
     * @throws UserException if the file is missing, corrupt or not a selfsup checkpoint
     */
    public static TrainedEncoder fromCheckpoint(Path file, NDManager manager) {
        return fromCheckpoint(file, manager, false);
    }

    /**
     * {@link #fromCheckpoint(Path, NDManager)}, with {@code withHeads} also the online projector and predictor
     * (for exporting them).
     */
    public static TrainedEncoder fromCheckpoint(Path file, NDManager manager, boolean withHeads) {
        CheckpointFile.PayloadReader<TrainedEncoder> reader = in -> {
            Checkpoint.Header h = Checkpoint.readHeader(in);
            TrainConfig config = Checkpoint.configFromJson(h.configJson());
            ModelSpec spec = Checkpoint.specFromJson(h.modelSpecJson());
            int size = config.viewSize(null);
            return new TrainedEncoder(config, SslModel.loadOnline(spec, in, manager, size, withHeads));
        };
        try {
            if (Files.isDirectory(file)) {
                Path dir = Files.isDirectory(file.resolve("checkpoints")) ? file.resolve("checkpoints") : file;
                CheckpointStore.Loaded<TrainedEncoder> loaded = new CheckpointStore(dir).loadLatest(reader,
                        System.err::println, false);
                if (loaded == null) {
                    throw new UserException("checkpoint: no checkpoint in " + dir);
                }
                return loaded.value();
            }
            return CheckpointFile.read(file, reader, false);
        } catch (NoSuchFileException e) {
            throw new UserException("checkpoint: " + file + " does not exist");
        } catch (IOException e) {
            throw new UserException("checkpoint: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        model.close();
    }
}
