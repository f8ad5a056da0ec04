package org.selfsup.cli;

import picocli.CommandLine.Command;

/** Inspect data sets and pack image collections into tar shards. */
@Command(name = "data", mixinStandardHelpOptions = true,
        description = "Inspect data sets; pack image folders or list files into tar shards.",
        subcommands = {DataInfoCommand.class, DataPackCommand.class, DataGenerateCommand.class})
public final class DataCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
