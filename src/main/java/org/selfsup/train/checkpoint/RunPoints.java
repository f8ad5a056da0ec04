package org.selfsup.train.checkpoint;

/**
 * Named points of a run that a hook installed by the process may observe: {@code step:K} (step K's metrics
 * line is written, no checkpoint of that step yet), {@code eval} (a kNN evaluation starts) and
 * {@code checkpoint-write} (a checkpoint's payload is in its temporary file, its trailer is not). The
 * fault-injection tests install one in their child JVMs to pause there and kill the process; a real run
 * installs none, and reaching a point is then one read of a volatile field.
 */
public final class RunPoints {
    /** Called at each point a run reaches, on the thread that reaches it. */
    @FunctionalInterface
    public interface Hook {
        void reached(String point);
    }

    private static volatile Hook hook;

    private RunPoints() {}

    /** Installs {@code h} for this process (null removes it). */
    public static void install(Hook h) {
        hook = h;
    }

    /** Whether a hook is installed (to skip building a point's name in real runs). */
    public static boolean hooked() {
        return hook != null;
    }

    /** Tells the hook, if any, that the run reached {@code point}. */
    public static void reach(String point) {
        Hook h = hook;
        if (h != null) {
            h.reached(point);
        }
    }
}
