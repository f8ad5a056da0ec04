package org.selfsup.encoder;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.selfsup.data.Image;
import org.selfsup.data.Normalization;
import org.selfsup.eval.EvalData;
import org.selfsup.eval.ImageTensors;
import org.selfsup.model.ModelSpec;
import org.selfsup.model.SslModel;
import org.selfsup.util.AtomicFiles;
import org.selfsup.util.UserException;

/**
 * A trained backbone as a DJL model directory:
 * <pre>
 *   DIR/encoder-0000.params   backbone parameters (ai.djl.Model.save; BN running statistics included)
 *   DIR/model-spec.json       the ModelSpec that rebuilds the backbone block
 *   DIR/encoder.json          input size, feature dimension, normalisation, provenance
 * </pre>
 * {@link #load(Path)} rebuilds the block from the spec and loads the parameters with
 * {@code Model.load}; {@link #translator(Info)} turns uint8 RGB images into features, so the directory
 * also works with {@code Criteria.builder().optModelPath(DIR).optModelName("encoder").optBlock(block)}.
 */
public final class ExportedEncoder {
    /** Model name (and parameter file prefix). */
    public static final String NAME = "encoder";
    /** File holding the model spec. */
    public static final String SPEC = "model-spec.json";
    /** File holding {@link Info}. */
    public static final String INFO = "encoder.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ExportedEncoder() {}

    /**
     * What a user needs to feed the encoder.
     *
     * @param inputSize  side of the square training views (the backbone accepts other sizes too)
     * @param featureDim length of a feature vector
     * @param mean       per-channel mean of Normalize (after scaling pixels to [0, 1])
     * @param std        per-channel std of Normalize
     * @param method     the SSL method it was trained with
     * @param dataset    the training data set
     * @param checkpoint the source checkpoint (file or run folder)
     */
    public record Info(int inputSize, int featureDim, float[] mean, float[] std, String method, String dataset,
                       String checkpoint) {
        /** The normalisation as a value. */
        public Normalization normalization() {
            return new Normalization(mean, std);
        }
    }

    /**
     * Writes the model directory. Files are written to a temporary sibling directory first and then moved
     * into {@code outDir} one by one (each move atomic).
     *
     * @return the info written
     */
    public static Info export(TrainedEncoder enc, Path checkpoint, Normalization norm, Path outDir) {
        Info info = new Info(EvalData.inputSize(enc.config()), enc.model().spec().featureDim(), norm.mean(),
                norm.std(), enc.config().methodDefinition().name(), enc.config().dataset, checkpoint.toString());
        try {
            Path abs = outDir.toAbsolutePath();
            Files.createDirectories(abs.getParent());
            Path tmp = Files.createDirectory(AtomicFiles.tempSibling(abs));
            try {
                try (Model model = Model.newInstance(NAME)) {
                    model.setBlock(enc.model().backbone());
                    model.save(tmp, NAME);
                }
                Files.writeString(tmp.resolve(SPEC), JSON.writeValueAsString(enc.model().spec()));
                Files.writeString(tmp.resolve(INFO), JSON.writeValueAsString(info));
                Files.createDirectories(abs);
                try (Stream<Path> files = Files.list(tmp)) {
                    for (Path f : files.toList()) {
                        AtomicFiles.write(abs.resolve(f.getFileName().toString()), Files.readAllBytes(f));
                    }
                }
            } finally {
                try (Stream<Path> files = Files.list(tmp)) {
                    for (Path f : files.toList()) {
                        Files.deleteIfExists(f);
                    }
                }
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UserException("--out: cannot write " + outDir + ": " + org.selfsup.util.IoMessages.reason(e), e);
        }
        return info;
    }

    /** The info file of an exported directory. */
    public static Info info(Path dir) {
        return read(dir.resolve(INFO), Info.class);
    }

    /** The model spec of an exported directory. */
    public static ModelSpec spec(Path dir) {
        return read(dir.resolve(SPEC), ModelSpec.class);
    }

    /**
     * The backbone block for an exported directory, freshly built (random weights) on {@code manager}:
     * what {@code Criteria.optBlock} needs before loading the parameters.
     */
    public static Block newBlock(Path dir, NDManager manager) {
        ModelSpec spec = spec(dir);
        // SslModel builds and shape-initialises the backbone exactly as in training; its manager is a child of
        // {@code manager}, so it is released with it
        SslModel holder = SslModel.create(spec.withoutPredictor(), false, false, manager, info(dir).inputSize(), 0);
        return holder.backbone();
    }

    /**
     * Loads an exported directory as a ready {@link Model} (PyTorch engine) whose block is the backbone.
     * Close the model when done.
     *
     * @throws UserException if the directory is not an export
     */
    public static Model load(Path dir) {
        Model model = Model.newInstance(NAME);
        try {
            model.setBlock(newBlock(dir, model.getNDManager()));
            model.load(dir, NAME);
            Info info = info(dir);
            model.setProperty("inputSize", String.valueOf(info.inputSize()));
            model.setProperty("featureDim", String.valueOf(info.featureDim()));
            return model;
        } catch (IOException | MalformedModelException e) {
            model.close();
            throw new UserException(dir + ": not a selfsup encoder export (" + e.getMessage() + ")", e);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** A predictor from uint8 RGB images to backbone features for a model from {@link #load}. */
    public static Predictor<Image, float[]> newPredictor(Model model, Path dir) {
        return model.newPredictor(translator(info(dir)));
    }

    /** ToTensor + Normalize in, the feature vector out (inference mode; no L2 normalisation). */
    public static Translator<Image, float[]> translator(Info info) {
        Normalization norm = info.normalization();
        return new Translator<>() {
            @Override
            public NDList processInput(TranslatorContext ctx, Image input) {
                NDArray x = ImageTensors.toBatch(ctx.getNDManager(), List.of(input.toRgb()), norm);
                return new NDList(x.squeeze(0));
            }

            @Override
            public float[] processOutput(TranslatorContext ctx, NDList list) {
                return list.singletonOrThrow().toFloatArray();
            }
        };
    }

    private static <T> T read(Path file, Class<T> type) {
        try {
            return JSON.readValue(file.toFile(), type);
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new UserException(file + ": not found (not a selfsup encoder export?)");
        } catch (IOException e) {
            throw new UserException(file + ": unreadable: " + e.getMessage());
        }
    }
}
