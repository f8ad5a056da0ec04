package org.selfsup.cli;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.selfsup.encoder.TrainedEncoder;
import org.selfsup.eval.DatasetNormalization;
import org.selfsup.eval.Encoders;
import org.selfsup.eval.EvalData;
import org.selfsup.eval.FolderEmbedder;
import org.selfsup.util.UserException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Write one embedding per image to a CSV file. */
@Command(name = "embed", mixinStandardHelpOptions = true,
        description = "Write one embedding per image to a CSV file: every .png/.jpg/.jpeg under --images "
                + "(recursively), resized (shorter side) and centre-cropped to the model's input size, through the "
                + "frozen backbone; one row per image: path relative to --images, then the feature values.")
public final class EmbedCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    EncoderOptions encoder;

    @Option(names = "--images", required = true, paramLabel = "DIR", description = "Folder of images.")
    Path images;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "CSV file to write.")
    Path out;

    @Option(names = "--batch-size", defaultValue = "64", description = "Images per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--l2-normalize", defaultValue = "false",
            description = "Divide each embedding by its L2 norm (default: ${DEFAULT-VALUE}).")
    boolean l2;

    @Option(names = "--on-bad-image", paramLabel = "POLICY", defaultValue = "skip",
            completionCandidates = Candidates.BadImagePolicies.class,
            description = "An image that cannot be read (${COMPLETION-CANDIDATES}): leave it out with a warning, or fail "
                    + "naming it (default: ${DEFAULT-VALUE}).")
    String onBadImage;

    @Override
    public Integer call() {
        OutputFlags.required("--out", out);
        if (batchSize <= 0) {
            throw new UserException("--batch-size: must be positive, got " + batchSize);
        }
        org.selfsup.data.BadImagePolicy policy = org.selfsup.data.DataOptions.policy(onBadImage);
        // indexed before the model is opened (a bad folder fails fast), and only once (its warnings print once)
        org.selfsup.data.stream.StreamedImages set = FolderEmbedder.images(images, policy);
        try (NDManager manager = NDManager.newBaseManager();
             TrainedEncoder enc = encoder.open(manager, null, spec.commandLine().getErr())) {
            org.selfsup.runtime.MemoryCheck.checkInference(enc.model().spec(), EvalData.inputSize(enc.config()),
                    batchSize, manager.getDevice(), "--batch-size");
            int n = new FolderEmbedder(Encoders.backbone(enc.model(), manager),
                    EvalData.inputSize(enc.config()), DatasetNormalization.of(enc.config()),
                    batchSize, l2).embed(manager, images, set, out, policy);
            spec.commandLine().getOut().printf("embedded %d images (%d-d) to %s%n", n, enc.model().spec().featureDim(), out);
            spec.commandLine().getOut().flush();
        }
        return 0;
    }
}
