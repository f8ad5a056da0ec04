package org.selfsup.cli;

import picocli.CommandLine.Command;

/** Benchmarks: augmentation throughput, training step and epoch speed. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks: augmentation throughput, training step and epoch speed.", subcommands = {BenchAugCommand.class, BenchStepCommand.class, BenchEpochCommand.class,
            BenchDeviceAugCommand.class})
public final class BenchCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
