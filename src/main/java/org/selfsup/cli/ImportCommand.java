package org.selfsup.cli;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.selfsup.encoder.ImportedEncoder;
import org.selfsup.encoder.TorchvisionExport;
import org.selfsup.encoder.TrainedEncoder;
import org.selfsup.util.IoMessages;
import org.selfsup.util.UserException;
import org.selfsup.weights.Safetensors;
import org.selfsup.weights.Tensor;
import org.selfsup.weights.WeightExport;
import org.selfsup.weights.WeightFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Check torchvision-named weights against an architecture, and convert them to safetensors. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Read torchvision-named ResNet or timm-named ViT weights (safetensors, or a PyTorch .pth/.pt "
                + "torch.save zip such as torchvision's, DINO's, MoCo v3's, MAE's or a paper's released checkpoint), select "
                + "the encoder's state dict (--key-prefix, or detected), and check it against an architecture: every "
                + "backbone tensor present with the right shape (a ViT's position embeddings resized to the grid).",
            "With --out, also write the backbone as a clean safetensors file (torchvision names, float32, the arch in "
                + "its metadata) that train --init-from, eval --weights and embed --weights read directly."})
public final class ImportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--from", required = true, paramLabel = "FILE", description = "Weights file (.safetensors, .pth, .pt).")
    Path from;

    @Option(names = "--arch", paramLabel = "NAME",
            description = "resnet18-cifar, resnet18, resnet34, resnet50, or a ViT with timm's names: vit-tiny, "
                    + "vit-small, vit-base, vit (width and depth from the file; patch size from patch_embed) (default: "
                    + "the file's sidecar or metadata; without one the tensors are only listed).")
    String arch;

    @Option(names = "--key-prefix", paramLabel = "PREFIX",
            description = "The state dict's key prefix, e.g. module.encoder_q., online_network., module., "
                    + "module.base_encoder. (default: detected when the file holds one ResNet or ViT state dict, and "
                    + "reported).")
    String keyPrefix;

    @Option(names = "--attention-heads", defaultValue = "0", paramLabel = "N",
            description = "ViT archs: attention heads (default: the file's metadata, else the arch's: width / 64 for vit, "
                    + "timm's convention; 3/6/12 for vit-tiny/small/base; MoCo v3's ViT-S has 12). Written into --out's "
                    + "metadata.")
    int attentionHeads;

    @Option(names = "--strict", defaultValue = "true", arity = "1", paramLabel = "BOOL",
            description = "false: ignore (and list) tensors a torchvision ResNet does not have, instead of refusing "
                    + "the file (default: ${DEFAULT-VALUE}).")
    boolean strict;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the checked backbone as safetensors to FILE.")
    Path out;

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        WeightFiles.Loaded loaded = WeightFiles.read(from);
        String a = arch != null ? arch : ImportedEncoder.archOf(loaded, TorchvisionExport.readSidecar(from));
        if (a == null) {
            if (out != null) {
                throw new UserException("--arch: required with --out (the file names no architecture)");
            }
            WeightFiles.Selected s = WeightFiles.select(loaded, keyPrefix);
            Map<String, Integer> dtypes = new TreeMap<>();
            s.tensors().values().forEach(t -> dtypes.merge(t.dtype().toString(), 1, Integer::sum));
            o.printf("%s: %s under '%s' %s; give --arch to check %s against an architecture%n", from,
                    WeightFiles.count(s.tensors().size(), "tensor"), s.prefix(), dtypes,
                    s.tensors().size() == 1 ? "it" : "them");
            if (s.note() != null) {
                o.println(s.note());
            }
            o.flush();
            return 0;
        }
        try (NDManager manager = NDManager.newBaseManager();
             TrainedEncoder enc = ImportedEncoder.load(from, a, keyPrefix, null, strict, attentionHeads, manager, line -> {
                 err.println(line);
                 err.flush();
             })) {
            Map<String, Tensor> state = WeightExport.stateDict(enc.model(), false, 0);
            o.printf("%s: fits %s (%s, %d-d features)%n", from, a, WeightFiles.count(state.size(), "backbone tensor"),
                    enc.model().spec().featureDim());
            if (out != null) {
                Map<String, String> metadata = new LinkedHashMap<>(WeightExport.metadata(enc.model().spec()));
                metadata.put("source", from.getFileName().toString());
                try {
                    Safetensors.write(out, state, metadata);
                } catch (IOException e) {
                    throw new UserException("--out: cannot write " + out + ": " + IoMessages.reason(e), e);
                }
                o.printf("wrote %s%n", out);
            }
            o.flush();
        }
        return 0;
    }
}
