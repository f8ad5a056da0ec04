package org.selfsup.hardening;

import org.selfsup.cli.Main;
import org.selfsup.train.checkpoint.RunPoints;

/** The CLI with the {@link FaultPoints} hook installed when a pause point is asked for: the children's main class. */
public final class PausingMain {
    private PausingMain() {}

    public static void main(String[] args) {
        if (FaultPoints.ACTIVE) {
            RunPoints.install(FaultPoints::reach);
        }
        Main.main(args);
    }
}
