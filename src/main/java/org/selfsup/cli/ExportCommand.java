package org.selfsup.cli;

import picocli.CommandLine.Command;

/** Export a checkpoint's backbone as a DJL model directory. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export a checkpoint's backbone as a DJL model directory.")
public final class ExportCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new ExitException(1, "'"+spec.qualifiedName()+"' is not implemented yet");
    }
}
