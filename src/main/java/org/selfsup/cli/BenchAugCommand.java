package org.selfsup.cli;

import picocli.CommandLine.Command;

/** Augmentation throughput in source images per second. */
@Command(name = "aug", mixinStandardHelpOptions = true,
        description = "Augmentation throughput in source images per second.")
public final class BenchAugCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new ExitException(1, "'"+spec.qualifiedName()+"' is not implemented yet");
    }
}
