package org.selfsup.cli;

import java.util.List;
import org.selfsup.util.AtomicFiles;
import org.selfsup.util.ShutdownHooks;
import sun.misc.Signal;

/**
 * The signals that stop selfsup politely (SIGINT from Ctrl-C, SIGTERM from {@code kill} or a job scheduler,
 * SIGHUP when the terminal closes), remembered so that the shutdown message names the signal and the exit
 * code the process really ends with (128 + the signal number, as the JVM's own handlers do).
 *
 * <p>The handlers do what the JVM's default ones do (exit with 128 + n, which runs the shutdown hooks, so a
 * checkpoint being written is finished first) and record which signal it was. A signal the process
 * was started with ignored (e.g. SIGINT in a background job of a non-interactive shell) stays ignored: the
 * JVM does not install a handler for it.
 *
 * <p>After the hooks, the JVM's exit runs the C++ static destructors of the native libraries, while the
 * training thread may still be inside a libtorch operation: that thread then crashed the JVM (SIGSEGV in
 * libtorch_cpu.so, an hs_err file) after the "interrupted" message. So once selfsup's own hooks
 * ({@link ShutdownHooks}: the write in progress finished, a launcher's ranks stopped) are done and the
 * message is printed, {@link #endAfterHooks} ends the process with {@code _exit(128 + n)}, which skips
 * the native exit path.
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

    /**
     * From the shutdown hook of a stop signal: waits for selfsup's other hooks (the file being written, the
     * child ranks), flushes the standard streams and ends the process with {@code _exit(code)}, without the
     * C++ static destructors that crash a thread still inside libtorch. Returns only when {@code _exit}
     * cannot be called (then the JVM's own exit follows).
     */
    static void endAfterHooks(int code) {
        ShutdownHooks.awaitOthers((AtomicFiles.SHUTDOWN_WAIT_SECONDS + 30) * 1000);
        System.out.flush();
        System.err.flush();
        try {
            com.sun.jna.NativeLibrary.getProcess().getFunction("_exit").invokeVoid(new Object[] {code});
        } catch (Throwable e) {
            // no JNA or no _exit symbol: the JVM's exit path, as before
        }
    }

    /** The signal that stopped the process, or null. */
    static Signal received() {
        return received;
    }
}
