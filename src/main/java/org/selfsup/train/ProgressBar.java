package org.selfsup.train;

import java.io.PrintWriter;
import java.util.Locale;
import org.selfsup.util.Durations;

/**
 * Console progress: on a terminal a single redrawn line with a bar, loss, images/s and ETA; otherwise
 * (pipes, CI) one plain line per update.
 */
public final class ProgressBar {
    private static final int WIDTH = 24;
    private final PrintWriter out;
    private final boolean terminal;
    private final long totalSteps;
    private boolean dirty;

    /**
     * @param out        where to print
     * @param terminal   whether {@code out} is an interactive terminal (use {@link #isTerminal()})
     * @param totalSteps K
     */
    public ProgressBar(PrintWriter out, boolean terminal, long totalSteps) {
        this.out = out;
        this.terminal = terminal;
        this.totalSteps = totalSteps;
    }

    /** True when stdout is a terminal and not in CI (then a redrawn bar; otherwise plain lines). */
    public static boolean isTerminal() {
        return System.console() != null && System.getenv("CI") == null;
    }

    /**
     * Shows the state after {@code step}.
     *
     * @param etaSeconds estimated seconds left (negative if unknown)
     */
    public void update(long step, int epoch, int epochs, double loss, double imgPerSec, double etaSeconds) {
        String text = String.format(Locale.ROOT, "epoch %d/%d step %d/%d loss %.4f %.1f img/s ETA %s",
                epoch + 1, epochs, step, totalSteps, loss, imgPerSec, Durations.clock(etaSeconds));
        if (terminal) {
            int filled = (int) Math.min(WIDTH, WIDTH * step / Math.max(1, totalSteps));
            out.print("\r[" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + text + "\u001b[K");
            out.flush();
            dirty = true;
        } else {
            out.println(text);
            out.flush();
        }
    }

    /** Prints a message on its own line (ending the bar line first). */
    public void message(String line) {
        if (dirty) {
            out.println();
            dirty = false;
        }
        out.println(line);
        out.flush();
    }

    /** Ends the bar line. */
    public void finish() {
        if (dirty) {
            out.println();
            dirty = false;
        }
    }
}
