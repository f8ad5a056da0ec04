package org.selfsup.eval;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.selfsup.config.TrainConfig;
import org.selfsup.method.MethodRegistry;
import org.selfsup.model.ModelSpec;
import org.selfsup.model.SslModel;
import org.selfsup.train.TrainedEncoder;
import org.selfsup.util.UserException;
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
        WeightFiles.Loaded loaded = WeightFiles.read(weights);
        TorchvisionExport.Sidecar sidecar = TorchvisionExport.readSidecar(weights);
        String a = arch != null ? arch : archOf(loaded, sidecar);
        if (a == null) {
            throw new UserException("--arch: required for " + weights + " (no sidecar "
                    + TorchvisionExport.sidecarPath(weights).getFileName() + " names it; e.g. resnet50 or resnet18-cifar)");
        }
        ModelSpec spec;
        if (sidecar != null && sidecar.modelSpec() != null && sidecar.modelSpec().arch().equals(a)) {
            spec = sidecar.modelSpec().withoutPredictor();
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
                ? sidecar.inputSize() : 0;
        WeightFiles.Selected selected = WeightFiles.select(loaded, keyPrefix);
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
