package org.selfsup.hardening;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;

/**
 * A child JVM's entry point for {@link SignalTest}: registers C's {@code abort} as an exit handler ({@code __cxa_atexit}),
 * then runs the CLI. The C library's exit path runs atexit handlers and C++ static destructors (libtorch's)
 * from the same list, so a process that goes through it ends with SIGABRT (exit code 134); one that ends
 * with {@code _exit}, as selfsup does after a stop signal, keeps its own exit code.
 */
public final class AbortAtExitMain {
    private AbortAtExitMain() {}

    public static void main(String[] args) {
        NativeLibrary c = NativeLibrary.getProcess();
        Function abort = c.getFunction("abort");
        // __cxa_atexit: how the C++ static destructors (libtorch's) are registered; atexit is not exported
        if (c.getFunction("__cxa_atexit").invokeInt(new Object[] {abort, null, null}) != 0) {
            throw new IllegalStateException("__cxa_atexit failed");
        }
        PausingMain.main(args); // the CLI, with the pause-point hook
    }
}
