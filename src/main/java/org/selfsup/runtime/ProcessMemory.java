package org.selfsup.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.selfsup.natives.CudaRuntime;

/** Memory figures of this process for the run's health record. */
public final class ProcessMemory {
    private ProcessMemory() {}

    /**
     * Peak resident set size of this process in MiB ({@code VmHWM} of {@code /proc/self/status}: the most
     * physical memory it has held since it started), or -1 where the file does not exist (not Linux).
     */
    public static double peakRssMib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /**
     * GPU memory in use on the current device in MiB, as {@code nvidia-smi} counts it (every process, the
     * CUDA context and the caching allocator's reserve included), or -1 without a CUDA runtime.
     */
    public static double gpuUsedMib() {
        long b = CudaRuntime.deviceMemoryUsed();
        return b < 0 ? -1 : b / (1024.0 * 1024.0);
    }
}
