package org.selfsup.cli;

import java.util.List;
import sun.misc.Signal;

/**
 * The signals that stop selfsup politely (SIGINT from Ctrl-C, SIGTERM from {@code kill} or a job scheduler,
 * SIGHUP when the terminal closes), remembered so that the shutdown message names the signal and the exit
 * code the process really ends with (128 + the signal number, as the JVM's own handlers do).
 *
 * <p>The handlers do what the JVM's default ones do (exit with 128 + n, which runs the shutdown hooks, so a
 * checkpoint being written is finished first); they only record which signal it was. A signal the process
 * was started with ignored (e.g. SIGINT in a background job of a non-interactive shell) stays ignored: the
 * JVM does not install a handler for it.
 */
final class StopSignals {
    private StopSignals() {}

    /** The handled signals: name (without "SIG") and number. */
    private static final List<String> NAMES = List.of("INT", "TERM", "HUP");

    private static volatile Signal received;

    /** Installs the handlers (once, from {@link Main#main}). */
    static void install() {
        for (String name : NAMES) {
            try {
                Signal.handle(new Signal(name), sig -> {
                    received = sig;
                    System.exit(exitCode(sig.getNumber()));
                });
            } catch (IllegalArgumentException e) {
                // not available on this OS or reserved by the JVM (-Xrs): the JVM's default applies
            }
        }
    }

    /** The exit code after signal number {@code n}: 128 + n (130 for SIGINT, 143 for SIGTERM). */
    static int exitCode(int n) {
        return 128 + n;
    }

    /** The message printed when the process is stopped by a signal, or by an unknown cause if null. */
    static String message(Signal sig) {
        String what = sig == null ? "interrupted"
                : "interrupted by SIG" + sig.getName() + " (exit code " + exitCode(sig.getNumber()) + ")";
        return "selfsup: " + what + "; files being written were completed or left as temporaries. Re-run the"
                + " same command to resume a training run from its last checkpoint.";
    }

    /** The signal that stopped the process, or null. */
    static Signal received() {
        return received;
    }
}
