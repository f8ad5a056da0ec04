package org.selfsup.distributed;

import java.io.PrintStream;
import java.util.concurrent.TimeUnit;

/**
 * Ends the process when training makes no progress for longer than a bound: a rank that died or hangs
 * leaves the others blocked in (MPI) or queued behind (NCCL) a collective that never completes. While
 * armed, the training thread calls {@link #beat()} after every step's gradient reduction; when no beat
 * came for {@code timeoutSeconds}, a daemon thread prints one line, aborts the collective (NCCL's abort
 * unblocks the GPU stream; MPI's job is ended by mpirun once this process is gone) and halts the JVM
 * with {@link #EXIT_CODE}. Disarmed while rank 0 alone evaluates (the others wait for it).
 */
public final class Watchdog implements AutoCloseable {
    /** Exit code of a rank stopped by the watchdog. */
    public static final int EXIT_CODE = 4;

    private final long timeoutNanos;
    private final String label;
    private final Runnable abort;
    private final PrintStream err;
    private final Thread thread;
    private volatile long lastBeat = System.nanoTime();
    private volatile boolean armed;
    private volatile String phase = "start-up";
    private volatile boolean closed;

    /**
     * @param timeoutSeconds the bound ({@code dist-timeout})
     * @param label          "rank r/N" for the message
     * @param abort          aborts the collective (may be a no-op)
     * @param err            where the message goes
     */
    public Watchdog(double timeoutSeconds, String label, Runnable abort, PrintStream err) {
        this.timeoutNanos = (long) (timeoutSeconds * 1e9);
        this.label = label;
        this.abort = abort;
        this.err = err;
        this.thread = new Thread(this::watch, "ddp-watchdog");
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts (or restarts) timing, naming what the ranks are doing for the message. */
    public void arm(String phase) {
        this.phase = phase;
        lastBeat = System.nanoTime();
        armed = true;
    }

    /** Stops timing (e.g. while rank 0 alone evaluates). */
    public void disarm() {
        armed = false;
    }

    /** Progress: the bound starts again. */
    public void beat() {
        lastBeat = System.nanoTime();
    }

    private void watch() {
        long tick = Math.max(TimeUnit.MILLISECONDS.toNanos(50), Math.min(TimeUnit.SECONDS.toNanos(1), timeoutNanos / 10));
        while (!closed) {
            try {
                TimeUnit.NANOSECONDS.sleep(tick);
            } catch (InterruptedException e) {
                return;
            }
            if (armed && !closed && System.nanoTime() - lastBeat > timeoutNanos) {
                fire();
            }
        }
    }

    private void fire() {
        err.printf(java.util.Locale.ROOT, "selfsup: %s: no progress for %.0f s during %s: another rank died or hangs "
                + "(dist-timeout); stopping with exit code %d. Re-run the same command to resume from the last "
                + "checkpoint.%n", label, timeoutNanos / 1e9, phase, EXIT_CODE);
        err.flush();
        try {
            abort.run();
        } finally {
            Runtime.getRuntime().halt(EXIT_CODE);
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
