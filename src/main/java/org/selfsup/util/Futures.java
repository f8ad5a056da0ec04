package org.selfsup.util;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Waiting for background work (prefetched batches) so that its failure surfaces as the original exception. */
public final class Futures {
    private Futures() {}

    /**
     * The result of {@code f}; a task's RuntimeException or Error is rethrown as is (so a UserException
     * raised while preparing a batch still reaches the CLI as one), an interrupt restores the flag.
     *
     * @param waitingFor what is awaited, for the interrupt message (e.g. "waiting for a batch")
     */
    public static <T> T await(Future<T> f, String waitingFor) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + waitingFor, e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(c);
        }
    }
}
