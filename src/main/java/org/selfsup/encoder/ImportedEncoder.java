package org.selfsup.encoder;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.selfsup.config.TrainConfig;
import org.selfsup.eval.EvalData;
import org.selfsup.method.MethodRegistry;
import org.selfsup.model.Backbone;
import org.selfsup.model.ModelSpec;
import org.selfsup.model.SslModel;
import org.selfsup.util.UserException;
import org.selfsup.weights.Tensor;
import org.selfsup.weights.WeightFiles;
import org.selfsup.weights.WeightImport;

/**
 * A backbone built from torchvision-named weights (a selfsup safetensors export, a converted file, or a
 * PyTorch {@code .pth}) instead of a selfsup checkpoint, for evaluation and embedding.
 *
 * <p>What a checkpoint would say comes from the export's sidecar when there is one, else from the
 * arguments: the architecture ({@code --arch}), the data set (its normalisation and view size; without
 * either, CIFAR-10's for a CIFAR stem and ImageNet's otherwise).
 */
public final class ImportedEncoder {
    private ImportedEncoder() {}

    /** The architecture a file's sidecar or safetensors metadata names, or null. */
    public static String archOf(WeightFiles.Loaded loaded, TorchvisionExport.Sidecar sidecar) {
        return sidecar != null ? sidecar.arch() : loaded.metadata().get("arch");
    }

    /**
     * The spec of a ViT file without a sidecar: the patch size from {@code patch_embed.proj.weight}; for the
     * free {@code vit} also the width from it and the depth from the highest {@code blocks.N}; the attention
     * heads and pooling from the safetensors metadata a selfsup export or import writes, else the arch's heads
     * (width / 64 for {@code vit}, timm's convention) and the class token.
     */
    static ModelSpec vitSpec(String arch, Map<String, Tensor> tensors, Map<String, String> metadata) {
        Tensor patch = tensors.get("patch_embed.proj.weight");
        int patchSize = patch != null && patch.shape().length == 4 ? (int) patch.shape()[3] : 16;
        int width = patch != null && patch.shape().length == 4 ? (int) patch.shape()[0] : 0;
        int depth = 0;
        for (String k : tensors.keySet()) {
            java.util.regex.Matcher m = BLOCK.matcher(k);
            if (m.lookingAt()) {
                depth = Math.max(depth, Integer.parseInt(m.group(1)) + 1);
            }
        }
        int heads = number(metadata.get("attention_heads"));
        String pooling = metadata.getOrDefault("pooling", "cls");
        if (arch.equals("vit") && (width < 1 || depth < 1)) {
            throw new UserException("--arch vit: the file has no timm-named ViT (patch_embed.proj.weight, blocks.N.*)");
        }
        return MethodRegistry.modelSpec("byol", Backbone.of(arch, width, List.of(Math.max(depth, 1)),
                new Backbone.Vit(patchSize, heads, pooling, false)), null).withoutPredictor();
    }

    private static final java.util.regex.Pattern BLOCK = java.util.regex.Pattern.compile("blocks\\.(\\d+)\\.");

    private static int number(String s) {
        try {
            return s == null ? 0 : Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * Builds the backbone and loads {@code weights} into it.
     *
     * @param arch      architecture, or null for the sidecar's (or the file's metadata)
     * @param keyPrefix state-dict prefix ({@code --key-prefix}), or null to detect it
     * @param dataset   the data set the encoder will see, or null for the sidecar's
     * @param strict    false: tensors the backbone does not use are ignored with a warning instead of refused
     * @param log       receives notes (stripped prefix, ignored tensors, NaN warnings)
     * @throws UserException for an unreadable file, an unknown architecture or tensors that do not fit
     */
    public static TrainedEncoder load(Path weights, String arch, String keyPrefix, String dataset, boolean strict,
                                      NDManager manager, Consumer<String> log) {
        return load(weights, arch, keyPrefix, dataset, strict, 0, manager, log);
    }

    /**
     * As {@link #load(Path, String, String, String, boolean, NDManager, Consumer)}, with the attention heads of
     * a free {@code vit} given ({@code attentionHeads} > 0; e.g. 12 for MoCo v3's ViT-S, which timm's width/64
     * convention would make 6); 0 = the file's metadata, else width / 64.
     */
    public static TrainedEncoder load(Path weights, String arch, String keyPrefix, String dataset, boolean strict,
                                      int attentionHeads, NDManager manager, Consumer<String> log) {
        WeightFiles.Loaded loaded = WeightFiles.read(weights);
        TorchvisionExport.Sidecar sidecar = TorchvisionExport.readSidecar(weights);
        String a = arch != null ? arch : archOf(loaded, sidecar);
        if (a == null) {
            throw new UserException("--arch: required for " + weights + " (no sidecar "
                    + TorchvisionExport.sidecarPath(weights).getFileName() + " names it; e.g. resnet50 or resnet18-cifar)");
        }
        WeightFiles.Selected selected = WeightFiles.select(loaded, keyPrefix);
        ModelSpec spec;
        int madeFor = 0; // a ViT's image side as its position embeddings say, when no sidecar says it
        if (sidecar != null && sidecar.modelSpec() != null && sidecar.modelSpec().arch().equals(a)) {
            spec = sidecar.modelSpec().withoutPredictor();
        } else if (ModelSpec.VITS.contains(a)) {
            Map<String, String> metadata = new java.util.HashMap<>(loaded.metadata());
            if (attentionHeads > 0) {
                metadata.put("attention_heads", String.valueOf(attentionHeads));
            }
            spec = vitSpec(a, selected.tensors(), metadata);
            Tensor pos = selected.tensors().get("pos_embed");
            if (pos != null && pos.shape().length == 3) {
                long side = Math.round(Math.sqrt(pos.shape()[1] - 1));
                madeFor = side * side == pos.shape()[1] - 1 ? (int) side * spec.patchSize() : 0;
            }
        } else if (a.equals("small")) {
            throw new UserException("--arch: small has free width and depth; it needs the export's sidecar "
                    + TorchvisionExport.sidecarPath(weights).getFileName());
        } else {
            spec = MethodRegistry.modelSpec("byol", a).withoutPredictor();
        }
        TrainConfig config = new TrainConfig();
        config.arch = spec.arch();
        config.method = sidecar != null ? sidecar.method() : "none (imported weights)";
        config.dataset = dataset != null ? dataset : sidecar != null ? sidecar.dataset()
                : spec.cifarStem() ? "cifar10" : "imagefolder";
        config.imageSize = sidecar != null && (dataset == null || dataset.equals(sidecar.dataset()))
                ? sidecar.inputSize() : dataset == null ? madeFor : 0;
        if (spec.vit()) {
            config.width = spec.width();
            config.blocks = new java.util.ArrayList<>(spec.blocks());
            config.patchSize = spec.patchSize();
            config.attentionHeads = spec.heads();
            config.pooling = spec.pooling();
        }
        if (selected.note() != null) {
            log.accept(weights + ": " + selected.note());
        }
        // the weights alone, before the model is built (a batch's share is checked by the command)
        org.selfsup.runtime.MemoryCheck.checkInference(spec, EvalData.inputSize(config), 1, manager.getDevice(),
                "--weights " + weights);
        SslModel model = SslModel.backboneOnly(spec, manager, EvalData.inputSize(config));
        try {
            WeightImport.Report r = WeightImport.apply(selected.tensors(), model, strict, weights.toString());
            r.warnings().forEach(w -> log.accept("warning: " + weights + ": " + w));
            return new TrainedEncoder(config, model);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }
}
