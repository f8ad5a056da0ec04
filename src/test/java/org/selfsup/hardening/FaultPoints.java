package org.selfsup.hardening;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.selfsup.train.checkpoint.RunPoints;

/**
 * Pause points for the fault-injection tests, a {@link RunPoints.Hook} that {@link PausingMain} installs in the
 * child JVM: with the system property {@code selfsup.test.pauseAt} set, the process writes a marker file and
 * sleeps when it reaches the named point, so a test can kill it exactly there (kill -9 mid-epoch, during
 * evaluation, mid-checkpoint-write).
 *
 * <p>Properties (all read once, at class load):
 * <ul>
 *   <li>{@code selfsup.test.pauseAt = POINT[#N]}: pause the N-th time (default 1st) {@code POINT} is
 *       reached in this process. Points: {@code step:K} (after step K's metrics line is written, before any
 *       checkpoint of that step), {@code eval} (at the start of a kNN evaluation), {@code checkpoint-write}
 *       (a checkpoint's payload is on disk in its temporary file, its trailer is not).</li>
 *   <li>{@code selfsup.test.pauseMarker = FILE}: written (with the point's name) when the pause starts.</li>
 *   <li>{@code selfsup.test.pauseMillis = MS}: how long to sleep (default 10 minutes), then continue.</li>
 * </ul>
 */
final class FaultPoints {
    private static final String SPEC = System.getProperty("selfsup.test.pauseAt");
    /** Whether a pause point is configured. */
    static final boolean ACTIVE = SPEC != null && !SPEC.isBlank();
    private static final Map<String, Integer> COUNTS = new HashMap<>();

    private FaultPoints() {}

    /** Marks that the process reached {@code point}; pauses there if the test asked for it. */
    static void reach(String point) {
        if (!ACTIVE) {
            return;
        }
        pauseIfAsked(point);
    }

    private static void pauseIfAsked(String point) {
        String name = SPEC;
        int nth = 1;
        int hash = SPEC.lastIndexOf('#');
        if (hash > 0) {
            name = SPEC.substring(0, hash);
            nth = Integer.parseInt(SPEC.substring(hash + 1).trim());
        }
        if (!name.equals(point)) {
            return;
        }
        int count;
        synchronized (COUNTS) {
            count = COUNTS.merge(point, 1, Integer::sum);
        }
        if (count != nth) {
            return;
        }
        try {
            String marker = System.getProperty("selfsup.test.pauseMarker");
            if (marker != null) {
                Files.writeString(Path.of(marker), point + "#" + count + "\n");
            }
            Thread.sleep(Long.getLong("selfsup.test.pauseMillis", 600_000L));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
