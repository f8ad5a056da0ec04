package org.selfsup.util;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * selfsup's own JVM shutdown hooks (finishing the file being written, stopping a launcher's child ranks),
 * remembered so that the stop-signal path can wait for exactly their work to end before it ends the
 * process without the native exit path ({@code cli.StopSignals}): the JVM starts all hooks at once and in
 * no order, and after them runs the C++ static destructors of the native libraries (libtorch), which crash
 * a thread that is still inside a libtorch operation.
 */
public final class ShutdownHooks {
    private static final List<Thread> HOOKS = new ArrayList<>();

    private ShutdownHooks() {}

    /** Registers {@code hook} with the JVM and remembers it; false if the JVM is already shutting down. */
    public static boolean add(Thread hook) {
        try {
            Runtime.getRuntime().addShutdownHook(hook);
        } catch (IllegalStateException e) {
            return false; // already shutting down
        }
        synchronized (HOOKS) {
            HOOKS.add(hook);
        }
        return true;
    }

    /** Unregisters {@code hook} (a no-op once the JVM is shutting down: the hook then runs). */
    public static void remove(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            return; // already shutting down: the hook runs, and is waited for
        }
        synchronized (HOOKS) {
            HOOKS.remove(hook);
        }
    }

    /**
     * From a shutdown hook: waits until every other registered hook has been started by the JVM and has
     * finished, at most {@code timeoutMillis} in all; returns whether all finished.
     */
    public static boolean awaitOthers(long timeoutMillis) {
        List<Thread> hooks;
        synchronized (HOOKS) {
            hooks = new ArrayList<>(HOOKS);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        Thread self = Thread.currentThread();
        try {
            for (Thread h : hooks) {
                if (h == self) {
                    continue;
                }
                // the JVM starts the hooks one after another: one not started yet is started within moments
                while (h.getState() == Thread.State.NEW) {
                    if (System.nanoTime() > deadline) {
                        return false;
                    }
                    Thread.sleep(1);
                }
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return !h.isAlive();
                }
                h.join(left);
                if (h.isAlive()) {
                    return false;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return true;
    }
}
