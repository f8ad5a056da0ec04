package org.selfsup.cli;

import picocli.CommandLine.Command;

/** Counts per split, classes, image size and per-channel mean/std of a data set. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Counts per split, classes, image size and per-channel mean/std of a data set.")
public final class DataInfoCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new ExitException(1, "'"+spec.qualifiedName()+"' is not implemented yet");
    }
}
