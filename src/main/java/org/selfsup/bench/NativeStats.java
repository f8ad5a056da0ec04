package org.selfsup.bench;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Process memory and live native-array figures for the benchmarks. */
public final class NativeStats {
    private NativeStats() {}

    /**
     * Resident set size of this process in KiB ({@code VmRSS} of {@code /proc/self/status}), or -1 where
     * the file does not exist (not Linux).
     */
    public static long rssKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /**
     * Live NDArrays held by {@code manager} and all its sub-managers (DJL's {@code getManagedArrays},
     * which walks the manager tree). Flat from step to step when every step closes its sub-manager.
     */
    public static int liveArrays(NDManager manager) {
        return manager.getManagedArrays().size();
    }
}
