package org.selfsup.cli;

import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options shared by the evaluation commands: which encoder, and which labelled data to score. */
final class EvalDataOptions {
    @Mixin
    EncoderOptions encoder;

    @Option(names = "--dataset", paramLabel = "NAME", completionCandidates = Candidates.Datasets.class,
            description = "Data set to evaluate on: ${COMPLETION-CANDIDATES} (default: the checkpoint's, or the "
                    + "--weights sidecar's).")
    String dataset;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Data directory (default: the checkpoint's data-dir when --dataset is not given).")
    Path dataDir;
}
