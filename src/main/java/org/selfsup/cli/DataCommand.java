package org.selfsup.cli;

import picocli.CommandLine.Command;

/** Inspect data sets. */
@Command(name = "data", mixinStandardHelpOptions = true,
        description = "Inspect data sets.", subcommands = {DataInfoCommand.class})
public final class DataCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
