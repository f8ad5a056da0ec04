package org.selfsup.cli;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.selfsup.augment.RandomTransform;
import org.selfsup.data.Dataset;
import org.selfsup.encoder.TrainedEncoder;
import org.selfsup.eval.Encoders;
import org.selfsup.eval.EvalData;
import org.selfsup.eval.LinearProbe;
import org.selfsup.eval.ProbeProtocol;
import org.selfsup.eval.ProbeResult;
import org.selfsup.eval.TestTransform;
import org.selfsup.util.AtomicFiles;
import org.selfsup.util.IoMessages;
import org.selfsup.util.UserException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Linear probe on a checkpoint's frozen encoder. */
@Command(name = "linear", mixinStandardHelpOptions = true,
        description = {"Linear probe on a checkpoint's frozen encoder (inference mode). Reports the FINAL epoch's "
                + "test accuracy over every test image; with --val-fraction the best epoch is chosen on a "
                + "validation split carved from the training data, never on the test set.",
            "Protocols: cifar = RSA's probe (SGD lr 30, Nesterov, 100 epochs, x0.1 at 60/80, RandomResizedCrop + "
                + "flip); msf = mean-shift eval (L2-normalise + standardise, lr 0.01, wd 1e-4, 40 epochs, x0.1 at "
                + "15/30, RandomResizedCrop + flip, test Resize(S*256/224) + CenterCrop(S)); dssl-cifar = DSSL's "
                + "CIFAR probe (SGD lr 30, no Nesterov, 100 epochs, x0.1 at 60/80, batch 256, RandomResizedCrop(S, "
                + "0.8-1, bicubic) + flip, test Resize(S*36/32, bicubic) + CenterCrop(S)); dssl-imagenet = DSSL's "
                + "ImageNet probe (LARC trust 0.001 over SGD lr 1.6, 90 epochs, per-epoch cosine, batch 4096 - "
                + "the frozen encoder sees it in chunks of --extract-batch, no gradient accumulation needed - "
                + "RandomResizedCrop + flip, test Resize(S*256/224) + CenterCrop(S)); fast = a quick probe on "
                + "features extracted once, no augmentation, standardised as msf, lr 0.1, 40 epochs (not a "
                + "published protocol)."})
public final class EvalLinearCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    EvalDataOptions data;

    @Option(names = "--protocol", required = true, paramLabel = "NAME", completionCandidates = Candidates.Probes.class,
            description = "${COMPLETION-CANDIDATES} (required: they differ in cost by orders of magnitude).")
    String protocol;

    @Option(names = "--epochs", defaultValue = "0",
            description = "Epochs; milestones scale along (default: ${DEFAULT-VALUE} = the protocol's).")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "0",
            description = "Training batch size (default: ${DEFAULT-VALUE} = the protocol's, 256).")
    int batchSize;

    @Option(names = "--val-fraction", defaultValue = "0",
            description = "Fraction of the training split held out to pick the best epoch (default: ${DEFAULT-VALUE} "
                    + "= none).")
    double valFraction;

    @Option(names = "--seed", paramLabel = "N",
            description = "Seed for head initialisation, split, shuffling and augmentation (default: the run's seed).")
    Long seed;

    @Option(names = "--extract-batch", defaultValue = "256",
            description = "Images per forward pass when extracting features (default: ${DEFAULT-VALUE}).")
    int extractBatch;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the result as JSON to FILE.")
    Path outFile;

    @Override
    public Integer call() throws IOException {
        ProbeProtocol p = ProbeProtocol.named(protocol);
        if (epochs < 0) {
            throw new UserException("--epochs: must be >= 0, got " + epochs);
        }
        if (batchSize < 0) {
            throw new UserException("--batch-size: must be >= 0, got " + batchSize);
        }
        if (extractBatch <= 0) {
            throw new UserException("--extract-batch: must be positive, got " + extractBatch);
        }
        if (outFile != null) {
            try { // fail before a long probe, not after it
                java.nio.file.Files.createDirectories(outFile.toAbsolutePath().getParent());
            } catch (IOException e) {
                throw new UserException("--out: cannot write " + outFile + ": " + IoMessages.reason(e), e);
            }
        }
        p = epochs > 0 ? p.withEpochs(epochs) : p;
        p = batchSize > 0 ? p.withBatchSize(batchSize) : p;
        PrintWriter out = spec.commandLine().getOut();
        ProbeResult r;
        try (NDManager manager = NDManager.newBaseManager();
             TrainedEncoder enc = data.encoder.open(manager, data.dataset, spec.commandLine().getErr())) {
            org.selfsup.runtime.MemoryCheck.checkInference(enc.model().spec(), EvalData.inputSize(enc.config()),
                    extractBatch, manager.getDevice(), "--extract-batch");
            Dataset ds = EvalData.load(enc.config(), data.dataset, data.dataDir);
            int size = EvalData.inputSize(enc.config());
            if (ds.whyNoEvaluation() != null) {
                throw new UserException(ds.name() + ": no linear probe possible: " + ds.whyNoEvaluation());
            }
            TestTransform test = p.testTransform(ds.normalization(), size, ds.test());
            RandomTransform augment = p.trainAugment(size);
            long s = seed != null ? seed : enc.config().seed;
            LinearProbe probe = new LinearProbe(p, s, line -> {
                out.println(line);
                out.flush();
            });
            LinearProbe.split(ds.train().size(), valFraction, s);
            r = probe.run(manager, Encoders.backbone(enc.model(), manager), extractBatch, ds.train(), ds.test(), test, augment,
                    valFraction);
            out.printf(Locale.ROOT, "linear probe (%s, %d epochs) on %s: final-epoch test top-1 %.2f%%  top-5 %.2f%%  "
                    + "(%d test images)%n", r.protocol(), r.epochs(), ds.name(), r.testTop1(), r.testTop5(),
                    r.testImages());
            if (r.bestValEpoch() >= 0) {
                out.printf(Locale.ROOT, "best epoch on the validation split (%d images): %d, val top-1 %.2f%%, "
                        + "test top-1 of that epoch's head %.2f%%%n", r.valImages(), r.bestValEpoch() + 1,
                        r.bestValTop1(), r.testTop1AtBestVal());
            }
            out.flush();
        }
        if (outFile != null) {
            try {
                AtomicFiles.writeString(outFile, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                        .writeValueAsString(r));
            } catch (IOException e) {
                throw new UserException("--out: cannot write " + outFile + ": " + IoMessages.reason(e), e);
            }
        }
        return 0;
    }
}
