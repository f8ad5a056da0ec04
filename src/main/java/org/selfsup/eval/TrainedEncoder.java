package org.selfsup.eval;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.selfsup.config.TrainConfig;
import org.selfsup.data.DatasetRegistry;
import org.selfsup.model.ModelSpec;
import org.selfsup.model.SslModel;
import org.selfsup.train.Checkpoint;
import org.selfsup.train.CheckpointFile;
import org.selfsup.train.CheckpointStore;
import org.selfsup.util.UserException;

/**
 * The frozen backbone of a training checkpoint, with the run's configuration and where in training it
 * was saved.
 *
 * @param config    the run's effective configuration
 * @param spec      the model spec stored in the checkpoint
 * @param model     a backbone-only model holding the checkpoint's online backbone weights and BN statistics
 * @param epoch     epochs completed when the checkpoint was written
 * @param step      global step when the checkpoint was written
 * @param file      the checkpoint file read
 */
public record TrainedEncoder(TrainConfig config, ModelSpec spec, SslModel model, int epoch, long step, Path file)
        implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * Loads the backbone of {@code path}: a checkpoint file, or a run directory (its
     * {@code checkpoints/last.ckpt}).
     *
     * @throws UserException if the file is missing, damaged or not a selfsup checkpoint
     */
    public static TrainedEncoder load(Path path, NDManager manager) {
        Path file = Files.isDirectory(path) ? path.resolve("checkpoints").resolve(CheckpointStore.LAST) : path;
        try {
            return CheckpointFile.read(file, in -> {
                Checkpoint.Header h = Checkpoint.readHeader(in);
                TrainConfig config = JSON.readValue(h.configJson(), TrainConfig.class);
                ModelSpec spec = JSON.readValue(h.modelSpecJson(), ModelSpec.class);
                SslModel model = SslModel.loadBackbone(spec, in, manager, inputSize(config));
                return new TrainedEncoder(config, spec, model, h.state().epoch(), h.state().step(), file);
            }, false);
        } catch (NoSuchFileException e) {
            throw new UserException("--checkpoint: " + file + ": file not found");
        } catch (IOException e) {
            throw new UserException("--checkpoint: " + file + ": not a readable selfsup checkpoint ("
                    + e.getMessage() + ")");
        }
    }

    /** The side of the training views: {@code image-size}, or the data set's default. */
    public static int inputSize(TrainConfig config) {
        return config.imageSize > 0 ? config.imageSize : DatasetRegistry.defaultViewSize(config.dataset);
    }

    /** The side of the training views of this run. */
    public int inputSize() {
        return inputSize(config);
    }

    /** The frozen backbone in inference mode. */
    public FeatureEncoder encoder(NDManager manager) {
        return Encoders.backbone(model, manager);
    }

    @Override
    public void close() {
        model.close();
    }
}
