package org.selfsup.cli;

import picocli.CommandLine.Command;

/** Write one embedding per image to a CSV file. */
@Command(name = "embed", mixinStandardHelpOptions = true,
        description = "Write one embedding per image to a CSV file.")
public final class EmbedCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new ExitException(1, "'"+spec.qualifiedName()+"' is not implemented yet");
    }
}
