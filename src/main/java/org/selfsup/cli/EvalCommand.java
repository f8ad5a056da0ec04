package org.selfsup.cli;

import picocli.CommandLine.Command;

/** Evaluate a trained encoder: kNN monitor and linear probes. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a trained encoder: kNN monitor and linear probes.", subcommands = {EvalKnnCommand.class, EvalLinearCommand.class})
public final class EvalCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
