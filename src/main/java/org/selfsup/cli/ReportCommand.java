package org.selfsup.cli;

import picocli.CommandLine.Command;

/** Build run reports and compare runs. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Build run reports and compare runs.", subcommands = {ReportRenderCommand.class, ReportCompareCommand.class})
public final class ReportCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
