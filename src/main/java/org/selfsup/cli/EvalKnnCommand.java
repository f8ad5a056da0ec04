package org.selfsup.cli;

import picocli.CommandLine.Command;

/** kNN accuracy of a checkpoint's frozen encoder. */
@Command(name = "knn", mixinStandardHelpOptions = true,
        description = "kNN accuracy of a checkpoint's frozen encoder.")
public final class EvalKnnCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new ExitException(1, "'"+spec.qualifiedName()+"' is not implemented yet");
    }
}
