package org.selfsup.cli;

import picocli.CommandLine.Command;

/** Analyses of a trained encoder (issue 24): how augmentations move its embeddings. */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "Analyses of a trained encoder: the semantic shift of augmentations.",
        subcommands = {AnalyzeShiftCommand.class})
public final class AnalyzeCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
