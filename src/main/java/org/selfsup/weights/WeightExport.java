package org.selfsup.weights;

import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.selfsup.model.ModelSpec;
import org.selfsup.model.SslModel;
import org.selfsup.model.TorchvisionNames;

/** An {@link SslModel}'s weights as a torchvision-named state dict (float32, plus int64 BatchNorm counters). */
public final class WeightExport {
    private WeightExport() {}

    /**
     * The safetensors {@code __metadata__} of an export: {@code format: pt} (the convention of PyTorch
     * loaders), the arch and the stem (ResNets) or width, depth, attention heads, patch size and pooling
     * (ViTs), so that a file without its sidecar still names its architecture.
     */
    public static Map<String, String> metadata(ModelSpec spec) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("format", "pt");
        m.put("arch", spec.arch());
        if (spec.vit()) {
            m.put("width", String.valueOf(spec.width()));
            m.put("depth", String.valueOf(spec.depth()));
            m.put("attention_heads", String.valueOf(spec.heads()));
            m.put("patch_size", String.valueOf(spec.patchSize()));
            m.put("pooling", spec.pooling());
        } else {
            m.put("stem", spec.cifarStem() ? "cifar" : "imagenet");
        }
        return m;
    }

    /**
     * The backbone (and with {@code includeHeads} the projector and predictor the model has) in PyTorch's
     * {@code state_dict()} order: per BatchNorm weight, bias, running_mean, running_var, num_batches_tracked.
     * {@code num_batches_tracked} is written as {@code batchesTracked} (PyTorch reads it only with
     * {@code momentum=None}).
     */
    public static Map<String, Tensor> stateDict(SslModel model, boolean includeHeads, long batchesTracked) {
        TorchvisionNames names = includeHeads ? TorchvisionNames.withHeads(model.spec())
                : TorchvisionNames.backbone(model.spec());
        Map<String, Parameter> params = model.namedParameters();
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : names.toTorch().entrySet()) {
            Parameter p = params.get(e.getKey());
            if (p == null) {
                continue; // a head the model was built without
            }
            if (p.getArray().getDataType() != DataType.FLOAT32) {
                throw new IllegalStateException(e.getKey() + " is " + p.getArray().getDataType() + ", not float32");
            }
            out.put(e.getValue(), Tensor.f32(p.getArray().getShape().getShape(), p.getArray().toFloatArray()));
            String tv = e.getValue();
            if (tv.endsWith(".running_var")) {
                String module = tv.substring(0, tv.length() - ".running_var".length());
                out.put(module + "." + TorchvisionNames.NUM_BATCHES_TRACKED,
                        Tensor.i64(new long[0], new long[] {batchesTracked}));
            }
        }
        return out;
    }
}
