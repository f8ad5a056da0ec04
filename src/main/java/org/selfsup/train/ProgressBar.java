package org.selfsup.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Console progress: on a terminal a single redrawn line with a bar, loss, images/s and ETA; otherwise
 * (pipes, CI) one plain line per update.
 */
public final class ProgressBar {
    private static final int WIDTH = 24;
    private final PrintStream out;
    private final boolean terminal;
    private final long totalSteps;
    private boolean dirty;

    /**
     * @param out        where to print
     * @param terminal   whether {@code out} is an interactive terminal (use {@link #isTerminal()})
     * @param totalSteps K
     */
    public ProgressBar(PrintStream out, boolean terminal, long totalSteps) {
        this.out = out;
        this.terminal = terminal;
        this.totalSteps = totalSteps;
    }

    /** True when stdout is a terminal and not in CI. */
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
                epoch + 1, epochs, step, totalSteps, loss, imgPerSec, formatDuration(etaSeconds));
        if (terminal) {
            int filled = (int) Math.min(WIDTH, WIDTH * step / Math.max(1, totalSteps));
            out.print("\r[" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + text + "\u001b[K");
            out.flush();
            dirty = true;
        } else {
            out.println(text);
        }
    }

    /** Prints a message on its own line (ending the bar line first). */
    public void message(String line) {
        if (dirty) {
            out.println();
            dirty = false;
        }
        out.println(line);
    }

    /** Ends the bar line. */
    public void finish() {
        if (dirty) {
            out.println();
            dirty = false;
        }
    }

    /** {@code h:mm:ss}, or {@code ?} when unknown. */
    public static String formatDuration(double seconds) {
        if (!(seconds >= 0) || Double.isInfinite(seconds)) {
            return "?";
        }
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    }
}
