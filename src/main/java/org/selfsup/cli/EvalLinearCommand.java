package org.selfsup.cli;

import picocli.CommandLine.Command;

/** Linear probe on a checkpoint's frozen encoder. */
@Command(name = "linear", mixinStandardHelpOptions = true,
        description = "Linear probe on a checkpoint's frozen encoder.")
public final class EvalLinearCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new ExitException(1, "'"+spec.qualifiedName()+"' is not implemented yet");
    }
}
