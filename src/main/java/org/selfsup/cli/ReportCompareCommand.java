package org.selfsup.cli;

import picocli.CommandLine.Command;

/** Overlay several runs in one chart and a table. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Overlay several runs in one chart and a table.")
public final class ReportCompareCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new ExitException(1, "'"+spec.qualifiedName()+"' is not implemented yet");
    }
}
