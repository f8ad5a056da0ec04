package org.selfsup.cli;

import picocli.CommandLine.Command;

/** Image augmentation: conformance check against PIL/torchvision, and view previews. */
@Command(name = "augment", mixinStandardHelpOptions = true,
        description = "Image augmentation: conformance check against PIL/torchvision, and view previews.", subcommands = {AugmentCheckCommand.class, AugmentPreviewCommand.class})
public final class AugmentCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
