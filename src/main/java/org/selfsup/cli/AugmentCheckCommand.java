package org.selfsup.cli;

import picocli.CommandLine.Command;

/** Run golden reference cases and compare with PIL/torchvision outputs. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Run golden reference cases and compare with PIL/torchvision outputs.")
public final class AugmentCheckCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new ExitException(1, "'"+spec.qualifiedName()+"' is not implemented yet");
    }
}
