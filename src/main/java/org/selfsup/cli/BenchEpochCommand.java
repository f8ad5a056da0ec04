package org.selfsup.cli;

import picocli.CommandLine.Command;

/** Training epoch speed with the real input pipeline. */
@Command(name = "epoch", mixinStandardHelpOptions = true,
        description = "Training epoch speed with the real input pipeline.")
public final class BenchEpochCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new ExitException(1, "'"+spec.qualifiedName()+"' is not implemented yet");
    }
}
