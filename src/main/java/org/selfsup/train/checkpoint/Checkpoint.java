package org.selfsup.train.checkpoint;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.selfsup.config.TrainConfig;
import org.selfsup.model.ModelSpec;
import org.selfsup.optim.Optimizer;
import org.selfsup.util.UserException;

/**
 * The payload of a selfsup checkpoint (inside the {@link CheckpointFile} container):
 * <pre>
 *   config JSON | model spec JSON | step k | epoch | batch in epoch | seed | model parameters | optimiser state
 * </pre>
 * The model part holds online, target and predictor parameters with BN running statistics; the optimiser
 * part its momentum buffers. Schedules (lr, tau, beta) are pure functions of the counters, so they resume
 * exactly.
 */
public final class Checkpoint {
    private Checkpoint() {}

    /**
     * What a checkpoint says about itself.
     *
     * @param configJson    the run's effective configuration ({@code TrainConfig.toJson()})
     * @param modelSpecJson the model's spec as JSON (enough to rebuild the networks)
     * @param state         the counters
     * @param seed          the run seed
     */
    public record Header(String configJson, String modelSpecJson, TrainState state, long seed) {}

    private static final ObjectMapper SPEC_JSON = new ObjectMapper();

    /** A model spec as the JSON a checkpoint header stores. */
    public static String specJson(ModelSpec spec) {
        try {
            return SPEC_JSON.writeValueAsString(spec);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("model spec is not serialisable", e);
        }
    }

    /** The model spec of a checkpoint header's JSON. */
    public static ModelSpec specFromJson(String json) {
        try {
            return SPEC_JSON.readValue(json, ModelSpec.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UserException("checkpoint: unreadable model spec (" + e.getOriginalMessage() + ")");
        }
    }

    /** Writes the payload. */
    public static void write(DataOutputStream out, Header h, ModelState model, Optimizer optimizer)
            throws IOException {
        writeHeader(out, h);
        model.save(out);
        out.writeBoolean(optimizer != null);
        if (optimizer != null) {
            optimizer.save(out);
        }
    }

    /** Writes the header part. */
    public static void writeHeader(DataOutputStream out, Header h) throws IOException {
        writeString(out, h.configJson());
        writeString(out, h.modelSpecJson());
        out.writeLong(h.state().step());
        out.writeInt(h.state().epoch());
        out.writeInt(h.state().batch());
        out.writeLong(h.seed());
    }

    /** Reads the header part. */
    public static Header readHeader(DataInputStream in) throws IOException {
        String config = readString(in);
        String spec = readString(in);
        TrainState state = new TrainState(in.readLong(), in.readInt(), in.readInt());
        long seed = in.readLong();
        return new Header(config, spec, state, seed);
    }

    /**
     * Reads the rest after the header into {@code model} and (when the checkpoint has optimiser state and
     * {@code optimizer} is not null) {@code optimizer}.
     */
    public static void readState(DataInputStream in, ModelState model, Optimizer optimizer) throws IOException {
        model.load(in);
        boolean hasOptimizer = in.readBoolean();
        if (hasOptimizer && optimizer != null) {
            optimizer.load(in);
        } else if (hasOptimizer) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** The configuration stored in a checkpoint header. */
    public static TrainConfig configFromJson(String json) throws IOException {
        return JSON.readValue(json, TrainConfig.class);
    }

    /** The header of a checkpoint file, after verifying its checksum. */
    public static Header peek(Path file) throws IOException {
        return CheckpointFile.read(file, Checkpoint::readHeader, false);
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > (64 << 20)) {
            throw new IOException("bad string length " + n);
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
