package org.selfsup.cli;

import picocli.CommandLine.Command;

/** Write a PNG grid of source images and their views. */
@Command(name = "preview", mixinStandardHelpOptions = true,
        description = "Write a PNG grid of source images and their views.")
public final class AugmentPreviewCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new ExitException(1, "'"+spec.qualifiedName()+"' is not implemented yet");
    }
}
