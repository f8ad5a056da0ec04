package org.selfsup.cli;

import ai.djl.ndarray.NDManager;
import java.io.PrintWriter;
import java.nio.file.Path;
import org.selfsup.encoder.ImportedEncoder;
import org.selfsup.encoder.TrainedEncoder;
import org.selfsup.train.checkpoint.Checkpoint;
import org.selfsup.util.UserException;
import picocli.CommandLine.Option;

/** Where an evaluated encoder comes from: a selfsup checkpoint, or torchvision-named weights. */
final class EncoderOptions {
    @Option(names = "--checkpoint", paramLabel = "FILE",
            description = "Checkpoint file, or a run directory (uses its checkpoints/last.ckpt). This or --weights.")
    Path checkpoint;

    @Option(names = "--weights", paramLabel = "FILE",
            description = "Instead of --checkpoint: torchvision-named ResNet or timm-named ViT weights, a safetensors file (e.g. from "
                    + "export --format safetensors, whose sidecar FILE.json gives arch, data set and input size) or a "
                    + "PyTorch .pth/.pt (torch.save zip); fc.* is ignored.")
    Path weights;

    @Option(names = "--arch", paramLabel = "NAME",
            description = "With --weights: resnet18-cifar, resnet18, resnet34, resnet50, vit-tiny, vit-small, vit-base or "
                    + "vit (default: the sidecar's or the file's metadata).")
    String arch;

    @Option(names = "--key-prefix", paramLabel = "PREFIX",
            description = "With --weights: the state dict's key prefix, e.g. module.encoder_q. or online_network. "
                    + "(default: detected when the file holds one ResNet or ViT state dict, and reported).")
    String keyPrefix;

    /** The encoder, from the checkpoint or the weights; notes go to {@code err}. */
    TrainedEncoder open(NDManager manager, String dataset, PrintWriter err) {
        if ((checkpoint == null) == (weights == null)) {
            throw new UserException(checkpoint == null ? "--checkpoint or --weights: one is required"
                    : "--checkpoint and --weights: give one, not both");
        }
        if (checkpoint != null) {
            if (arch != null || keyPrefix != null) {
                throw new UserException((arch != null ? "--arch" : "--key-prefix") + ": only with --weights");
            }
            return TrainedEncoder.fromCheckpoint(checkpoint, manager);
        }
        return ImportedEncoder.load(weights, arch, keyPrefix, dataset, true, manager, line -> {
            err.println(line);
            err.flush();
        });
    }
}
