package org.selfsup.util;

import java.util.Locale;

/** Durations as people read them in progress lines and summaries. */
public final class Durations {
    private Durations() {}

    /** {@code seconds} as {@code h:mm:ss} (rounded to the second); {@code "?"} when unknown (NaN, negative, infinite). */
    public static String clock(double seconds) {
        if (!(seconds >= 0) || Double.isInfinite(seconds)) {
            return "?";
        }
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    }
}
