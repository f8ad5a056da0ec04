package org.selfsup.encoder;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.selfsup.config.ConfigValidator;
import org.selfsup.data.Normalization;
import org.selfsup.eval.EvalData;
import org.selfsup.model.ModelSpec;
import org.selfsup.model.SslModel;
import org.selfsup.model.TorchvisionNames;
import org.selfsup.util.AtomicFiles;
import org.selfsup.util.IoMessages;
import org.selfsup.util.UserException;
import org.selfsup.weights.Safetensors;
import org.selfsup.weights.Tensor;
import org.selfsup.weights.WeightExport;

/**
 * A trained backbone as a safetensors file with torchvision's names ({@code FILE.safetensors}, loadable
 * by {@code torchvision.models.resnet*().load_state_dict(..., strict=False)} with only {@code fc.*}
 * missing) or, for a ViT, timm's names (loadable by {@code timm.create_model(..., pretrained=False)} built
 * with the sidecar's {@code timm} arguments, with only {@code head.*} missing), and a JSON sidecar
 * {@code FILE.json} describing how to build and feed it ({@link Sidecar}).
 */
public final class TorchvisionExport {
    private TorchvisionExport() {}

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * What the safetensors file holds and how to use it.
     *
     * @param arch            selfsup's architecture name
     * @param torchvisionArch the torchvision constructor ({@code resnet18}, {@code resnet34}, {@code resnet50}), or
     *                        null for {@code small} (no torchvision counterpart)
     * @param stem            {@code cifar} (conv1 3x3 stride 1 padding 1, no max-pool: build torchvision's module and
     *                        set {@code conv1 = Conv2d(3, 64, 3, 1, 1, bias=False)}, {@code maxpool = Identity()}) or
     *                        {@code imagenet} (torchvision's own); null (left out) for a ViT
     * @param inputSize       side of the square training views
     * @param featureDim      length of the pooled feature vector (torchvision's {@code fc.in_features})
     * @param mean            Normalize mean per channel, after scaling pixels to [0, 1]
     * @param std             Normalize std per channel
     * @param method          the SSL method it was trained with
     * @param dataset         the training data set
     * @param run             the source checkpoint (file or run folder)
     * @param headsPrefixes   the prefixes of the head tensors when exported with heads, else empty
     * @param modelSpec       selfsup's full model spec (rebuilds the exact backbone and heads)
     * @param patchSize       ViTs: the patch side in pixels (null for ResNets)
     * @param pooling         ViTs: the pooled feature, {@code cls} or {@code mean} (null for ResNets)
     * @param timm            ViTs: the keyword arguments of timm's {@code VisionTransformer} (or of
     *                        {@code timm.create_model(name, pretrained=False, **kwargs)}) that build the same
     *                        network; {@code load_state_dict(..., strict=False)} then misses only {@code head.*}
     *                        (null for ResNets)
     */
    public record Sidecar(String arch, @JsonProperty("torchvision_arch") String torchvisionArch,
                          @JsonInclude(JsonInclude.Include.NON_NULL) String stem,
                          @JsonProperty("input_size") int inputSize, @JsonProperty("feature_dim") int featureDim,
                          float[] mean, float[] std, String method, String dataset, String run,
                          @JsonProperty("heads_prefixes") List<String> headsPrefixes,
                          @JsonProperty("model_spec") ModelSpec modelSpec,
                          @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("patch_size") Integer patchSize,
                          @JsonInclude(JsonInclude.Include.NON_NULL) String pooling,
                          @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Object> timm) {
        /** The normalisation as a value. */
        public Normalization normalization() {
            return new Normalization(mean, std);
        }
    }

    /** The sidecar's path for a weights file: {@code x.safetensors} -> {@code x.json}. */
    public static Path sidecarPath(Path weights) {
        String name = weights.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return weights.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".json");
    }

    /** The sidecar next to {@code weights}, or null if there is none. */
    public static Sidecar readSidecar(Path weights) {
        Path f = sidecarPath(weights);
        if (!Files.isRegularFile(f)) {
            return null;
        }
        Sidecar s;
        try {
            s = JSON.readValue(f.toFile(), Sidecar.class);
        } catch (IOException e) {
            UserException user = null;
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof UserException u) {
                    user = u;
                }
            }
            String why = user != null ? user.getMessage()
                    : e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage()
                    : e.getMessage();
            throw new UserException(f + ": not a selfsup weights sidecar: " + why, e);
        }
        if (s == null) {
            throw new UserException(f + ": not a selfsup weights sidecar: empty");
        }
        check(f, s);
        return s;
    }

    /**
     * Holds a sidecar to the limits a training configuration has ({@link ConfigValidator}): it sizes the
     * model and its inputs, so a hand-edited one (width 100000, input size 100000 or -5) is refused naming
     * the file and the key instead of allocating without bound or being replaced by a default silently.
     */
    private static void check(Path f, Sidecar s) {
        int max = ConfigValidator.MAX_IMAGE_SIZE;
        if (s.inputSize() < 1 || s.inputSize() > max) {
            throw new UserException(f + ": input_size must be in 1.." + max + " (got " + s.inputSize() + ")");
        }
        if (s.arch() != null && !ModelSpec.ARCHS.contains(s.arch())) {
            throw new UserException(f + ": arch: unknown '" + s.arch() + "' (expected one of "
                    + String.join(", ", ModelSpec.ARCHS) + ")");
        }
        ModelSpec spec = s.modelSpec();
        if (spec != null) {
            if (spec.width() > ConfigValidator.MAX_WIDTH) {
                throw new UserException(f + ": model_spec width must be at most " + ConfigValidator.MAX_WIDTH
                        + " (got " + spec.width() + ")");
            }
            for (int b : spec.blocks()) {
                if (b > ConfigValidator.MAX_BLOCKS) {
                    throw new UserException(f + ": model_spec blocks: a stage has at most " + ConfigValidator.MAX_BLOCKS
                            + " blocks (got " + b + ")");
                }
            }
            if (s.arch() != null && !s.arch().equals(spec.arch())) {
                throw new UserException(f + ": arch '" + s.arch() + "' and model_spec arch '" + spec.arch()
                        + "' disagree");
            }
        }
        for (float[] v : new float[][] {s.mean(), s.std()}) {
            if (v == null) {
                continue;
            }
            boolean ok = v.length == 3;
            for (float x : v) {
                ok &= Float.isFinite(x) && (v != s.std() || x > 0);
            }
            if (!ok) {
                throw new UserException(f + ": " + (v == s.mean() ? "mean" : "std") + " must be 3 finite values"
                        + (v == s.std() ? " above 0" : "") + " (got " + java.util.Arrays.toString(v) + ")");
            }
        }
    }

    /**
     * Writes {@code out} (safetensors) and its sidecar, each atomically.
     *
     * @param includeHeads also write the projector and predictor under {@code projector.}/{@code predictor.}
     */
    public static Sidecar export(TrainedEncoder enc, Path checkpoint, Normalization norm, Path out, boolean includeHeads) {
        SslModel model = enc.model();
        ModelSpec spec = model.spec();
        List<String> heads = !includeHeads ? List.of() : model.predictor() != null
                ? List.of(TorchvisionNames.PROJECTOR, TorchvisionNames.PREDICTOR) : List.of(TorchvisionNames.PROJECTOR);
        int inputSize = EvalData.inputSize(enc.config());
        if (spec.vit() && model.positionGrid() > 0) {
            inputSize = model.positionGrid() * spec.patchSize(); // the size its position embeddings are made for
        }
        Sidecar sidecar = new Sidecar(spec.arch(), torchvisionArch(spec),
                spec.vit() ? null : spec.cifarStem() ? "cifar" : "imagenet", inputSize, spec.featureDim(),
                norm.mean(), norm.std(), enc.config().methodDefinition().name(), enc.config().dataset,
                checkpoint.toString(), heads, spec,
                spec.vit() ? spec.patchSize() : null, spec.vit() ? spec.pooling() : null,
                spec.vit() ? timmArguments(spec, inputSize) : null);
        Map<String, Tensor> tensors = WeightExport.stateDict(model, includeHeads, 0);
        try {
            Safetensors.write(out, tensors, WeightExport.metadata(spec));
            AtomicFiles.writeString(sidecarPath(out), JSON.writeValueAsString(sidecar));
        } catch (IOException e) {
            throw new UserException("--out: cannot write " + out + ": " + IoMessages.reason(e), e);
        }
        return sidecar;
    }

    /**
     * timm's {@code VisionTransformer} arguments for a ViT spec: {@code img_size}, {@code patch_size},
     * {@code embed_dim}, {@code depth}, {@code num_heads}, {@code mlp_ratio} 4, {@code qkv_bias}, a class token,
     * and the pooling as {@code global_pool} ({@code token}, or {@code avg} with {@code fc_norm=False}: the
     * mean of the patch tokens after the final norm, which is selfsup's {@code mean}).
     */
    static Map<String, Object> timmArguments(ModelSpec spec, int inputSize) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("img_size", inputSize);
        m.put("patch_size", spec.patchSize());
        m.put("embed_dim", spec.width());
        m.put("depth", spec.depth());
        m.put("num_heads", spec.heads());
        m.put("mlp_ratio", 4.0);
        m.put("qkv_bias", true);
        m.put("class_token", true);
        m.put("global_pool", "mean".equals(spec.pooling()) ? "avg" : "token");
        m.put("fc_norm", false);
        return m;
    }

    private static String torchvisionArch(ModelSpec spec) {
        return switch (spec.arch()) {
            case "resnet18", "resnet18-cifar" -> "resnet18";
            case "resnet34" -> "resnet34";
            case "resnet50" -> "resnet50";
            default -> null;
        };
    }
}
