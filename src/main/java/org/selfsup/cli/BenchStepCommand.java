package org.selfsup.cli;

import picocli.CommandLine.Command;

/** Training step speed on synthetic data. */
@Command(name = "step", mixinStandardHelpOptions = true,
        description = "Training step speed on synthetic data.")
public final class BenchStepCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new ExitException(1, "'"+spec.qualifiedName()+"' is not implemented yet");
    }
}
