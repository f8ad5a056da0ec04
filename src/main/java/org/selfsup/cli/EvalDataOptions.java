package org.selfsup.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options shared by the evaluation commands: which checkpoint, and which labelled data to score. */
final class EvalDataOptions {
    @Option(names = "--checkpoint", required = true, paramLabel = "FILE",
            description = "Checkpoint file, or a run directory (uses its checkpoints/last.ckpt).")
    Path checkpoint;

    @Option(names = "--dataset", paramLabel = "NAME",
            description = "Data set to evaluate on (default: the checkpoint's).")
    String dataset;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Data directory (default: the checkpoint's data-dir when --dataset is not given).")
    Path dataDir;
}
