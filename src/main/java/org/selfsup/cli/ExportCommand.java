package org.selfsup.cli;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.selfsup.eval.ExportedEncoder;
import org.selfsup.eval.Normalizations;
import org.selfsup.train.Checkpoint;
import org.selfsup.train.TrainedEncoder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Export a checkpoint's backbone as a DJL model directory. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Export a checkpoint's backbone as a DJL model directory: encoder-0000.params (Model.save), "
                + "model-spec.json and encoder.json (input size, feature size, normalisation).",
            "Load it with org.selfsup.eval.ExportedEncoder.load(DIR), or with DJL's Criteria given "
                + "ExportedEncoder.newBlock(DIR, manager) and ExportedEncoder.translator(...)."})
public final class ExportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--checkpoint", required = true, paramLabel = "FILE",
            description = "Checkpoint file, or a run directory (uses its checkpoints/last.ckpt).")
    Path checkpoint;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output model directory.")
    Path out;

    @Override
    public Integer call() {
        try (NDManager manager = NDManager.newBaseManager();
             TrainedEncoder enc = Checkpoint.loadEncoder(checkpoint, manager)) {
            ExportedEncoder.Info info = ExportedEncoder.export(enc, checkpoint, Normalizations.of(enc.config()), out);
            spec.commandLine().getOut().printf("exported %s backbone (%d-d features, %dx%d input) to %s%n",
                    enc.model().spec().arch(), info.featureDim(), info.inputSize(), info.inputSize(), out);
            spec.commandLine().getOut().flush();
        }
        return 0;
    }
}
