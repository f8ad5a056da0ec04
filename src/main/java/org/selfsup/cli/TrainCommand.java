package org.selfsup.cli;

import picocli.CommandLine.Command;

/** Pretrain an encoder with a self-supervised method. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Pretrain an encoder with a self-supervised method.")
public final class TrainCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new ExitException(1, "'"+spec.qualifiedName()+"' is not implemented yet");
    }
}
