package org.selfsup.cli;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.selfsup.encoder.ExportedEncoder;
import org.selfsup.encoder.TorchvisionExport;
import org.selfsup.encoder.TrainedEncoder;
import org.selfsup.eval.DatasetNormalization;
import org.selfsup.train.checkpoint.Checkpoint;
import org.selfsup.util.UserException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Export a checkpoint's backbone as a DJL model directory or a torchvision-named safetensors file. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Export a checkpoint's backbone.",
            "--format djl: a DJL model directory: encoder-0000.params (Model.save), model-spec.json and encoder.json "
                + "(input size, feature size, normalisation). Load it with org.selfsup.encoder.ExportedEncoder.load(DIR), "
                + "or with DJL's Criteria given ExportedEncoder.newBlock(DIR, manager) and ExportedEncoder.translator(...).",
            "--format safetensors: FILE with torchvision's parameter and buffer names (conv1.weight, "
                + "bn1.running_mean, layer1.0.conv1.weight, ..., no fc.*), float32 (num_batches_tracked int64), plus "
                + "a JSON sidecar FILE-without-extension.json (arch, stem, normalisation, input size, method, run). "
                + "In PyTorch: m = torchvision.models.resnet50(); m.load_state_dict(safetensors.torch.load_file(FILE), "
                + "strict=False) leaves only fc.* missing (CIFAR stem: see the README)."})
public final class ExportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--checkpoint", required = true, paramLabel = "FILE",
            description = "Checkpoint file, or a run directory (uses its checkpoints/last.ckpt).")
    Path checkpoint;

    @Option(names = "--out", required = true, paramLabel = "PATH",
            description = "Output model directory (djl) or file (safetensors, e.g. encoder.safetensors).")
    Path out;

    @Option(names = "--format", defaultValue = "djl", paramLabel = "FORMAT",
            description = "djl or safetensors (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--include-heads", defaultValue = "false",
            description = "safetensors only: also write the projector and predictor, as nn.Sequential indices under "
                    + "'projector.' and 'predictor.' (projector.0.weight is the first Linear; default: ${DEFAULT-VALUE}).")
    boolean includeHeads;

    @Override
    public Integer call() {
        OutputFlags.required("--out", out);
        String f = format.toLowerCase(Locale.ROOT);
        if (!f.equals("djl") && !f.equals("safetensors")) {
            throw new UserException("--format: unknown '" + format + "' (expected djl or safetensors)");
        }
        boolean safetensors = f.equals("safetensors");
        if (includeHeads && !safetensors) {
            throw new UserException("--include-heads: only with --format safetensors");
        }
        if (safetensors && Files.isDirectory(out)) {
            throw new UserException("--out: " + out + " is a directory; --format safetensors writes a file "
                    + "(e.g. " + out.resolve("encoder.safetensors") + ")");
        }
        try (NDManager manager = NDManager.newBaseManager();
             TrainedEncoder enc = TrainedEncoder.fromCheckpoint(checkpoint, manager, includeHeads)) {
            var norm = DatasetNormalization.of(enc.config());
            if (safetensors) {
                TorchvisionExport.Sidecar s = TorchvisionExport.export(enc, checkpoint, norm, out, includeHeads);
                spec.commandLine().getOut().printf("exported %s backbone%s (%d-d features, %dx%d input) to %s "
                        + "(%s names) and %s%n", s.arch(), includeHeads ? " and heads" : "", s.featureDim(),
                        s.inputSize(), s.inputSize(), out, s.timm() != null ? "timm" : "torchvision",
                        TorchvisionExport.sidecarPath(out));
            } else {
                ExportedEncoder.Info info = ExportedEncoder.export(enc, checkpoint, norm, out);
                spec.commandLine().getOut().printf("exported %s backbone (%d-d features, %dx%d input) to %s%n",
                        enc.model().spec().arch(), info.featureDim(), info.inputSize(), info.inputSize(), out);
            }
            spec.commandLine().getOut().flush();
        }
        return 0;
    }
}
