package org.selfsup.runtime;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.selfsup.model.ModelSize;
import org.selfsup.model.ModelSpec;
import org.selfsup.util.UserException;

/**
 * Refuses, before anything is allocated, a training run whose step cannot fit in the memory of its device:
 * a lower bound of the parameters with their gradients, momentum and EMA copy, the activations the views
 * of one batch leave for the backward pass, and the batch itself, compared with the memory the device has
 * free. The bound counts only what is certainly kept (the real need is larger), so a configuration it
 * refuses would fail anyway, later and less clearly. {@code SELFSUP_MEMORY_CHECK=off} skips it.
 */
public final class MemoryCheck {
    private MemoryCheck() {}

    /** Environment variable that turns the check off ({@code off}). */
    public static final String SWITCH = "SELFSUP_MEMORY_CHECK";

    /** The lower bound for one training step, in bytes (float32). */
    public record Need(long parameterBytes, long activationBytes, long inputBytes) {
        /** Everything on the training device. */
        public long total() {
            return parameterBytes + activationBytes + inputBytes;
        }

        /**
         * @param views  views per image through the online network
         * @param target whether an EMA target copy of the encoder exists
         */
        public static Need of(ModelSpec spec, int size, int batch, int views, boolean target) {
            // weights, gradients, momentum of the online network; the target's weights
            long params = 3 * ModelSize.onlineParameters(spec) + (target ? ModelSize.encoderParameters(spec) : 0);
            long images = (long) batch * views;
            return new Need(4 * params, 4 * images * ModelSize.activationsPerImage(spec, size),
                    4 * images * 3L * size * size);
        }
    }

    /**
     * Throws a one-line user error when {@code need} exceeds {@code availableBytes}.
     *
     * @param what the configuration in words, e.g. "batch-size 256 x 2 views of 32 px on resnet18-cifar"
     * @param device where the step runs, e.g. "cpu"
     */
    public static void require(Need need, long availableBytes, String what, String device) {
        if (need.total() <= availableBytes) {
            return;
        }
        throw new UserException(String.format(Locale.ROOT, "%s: training needs at least %s (activations %s, "
                        + "parameters with gradients and optimiser state %s, input %s), more than the %s free on %s;"
                        + " lower batch-size, image-size or width (or set %s=off to try anyway)", what,
                gb(need.total()), gb(need.activationBytes()), gb(need.parameterBytes()), gb(need.inputBytes()),
                gb(availableBytes), device, SWITCH));
    }

    /** Checks a run's step against its device, unless {@link #SWITCH} is {@code off}. */
    public static void check(ModelSpec spec, int size, int batch, int views, boolean target, Device device) {
        if ("off".equalsIgnoreCase(System.getenv(SWITCH))) {
            return;
        }
        long free = freeBytes(device);
        if (free <= 0) {
            return; // unknown: nothing to compare with
        }
        String what = "batch-size " + batch + " x " + views + " views of " + size + " px on " + spec.arch()
                + (spec.arch().equals("small") ? " width " + spec.width() : "");
        require(Need.of(spec, size, batch, views, target), free, what, device.toString());
    }

    /**
     * The same check for a frozen encoder's forward passes ({@code embed}, {@code eval}), before the model is
     * built or a batch is decoded: a lower bound of the backbone's weights, a batch of input images and the
     * stem's output for it (no gradients are kept), against the device's free memory.
     *
     * @param what the flag or file that sets the sizes, e.g. "--weights x.safetensors"
     */
    public static void checkInference(ModelSpec spec, int size, int batch, Device device, String what) {
        if ("off".equalsIgnoreCase(System.getenv(SWITCH))) {
            return;
        }
        long free = freeBytes(device);
        long params = 4 * ModelSize.backboneParameters(spec);
        long input = 4L * batch * 3L * size * size;
        long activations = 4L * batch * ModelSize.stemActivations(spec, size);
        if (free <= 0 || params + input + activations <= free) {
            return;
        }
        throw new UserException(String.format(Locale.ROOT, "%s: batch %d of %d px on %s%s needs at least %s (weights "
                        + "%s, input %s, first-layer activations %s), more than the %s free on %s; lower the batch size "
                        + "(or set %s=off to try anyway)", what, batch, size, spec.arch(),
                spec.arch().equals("small") ? " width " + spec.width() : "", gb(params + input + activations), gb(params),
                gb(input), gb(activations), gb(free), device, SWITCH));
    }

    /** Free memory of a device in bytes: the GPU's free memory, or the host's available memory; 0 if unknown. */
    static long freeBytes(Device device) {
        if (device.isGpu()) {
            MemoryUsage m = CudaUtils.getGpuMemory(device);
            return m.getMax() - m.getUsed();
        }
        long free = meminfoAvailable();
        long limit = cgroupFree();
        if (limit > 0 && (free <= 0 || limit < free)) {
            free = limit;
        }
        if (free <= 0 && ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            free = os.getFreeMemorySize();
        }
        return free;
    }

    private static long meminfoAvailable() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemAvailable:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall back below
        }
        return 0;
    }

    private static long cgroupFree() {
        try {
            Path max = Path.of("/sys/fs/cgroup/memory.max");
            Path current = Path.of("/sys/fs/cgroup/memory.current");
            if (Files.isReadable(max) && Files.isReadable(current)) {
                String m = Files.readString(max).trim();
                if (m.matches("\\d+")) {
                    return Long.parseLong(m) - Long.parseLong(Files.readString(current).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // no cgroup v2 limit readable
        }
        return 0;
    }

    private static String gb(long bytes) {
        return String.format(Locale.ROOT, "%.1f GB", bytes / 1e9);
    }
}
