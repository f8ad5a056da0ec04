package org.selfsup.cli;

import java.io.PrintWriter;
import java.util.Locale;
import org.selfsup.bench.DeviceAugBench;
import org.selfsup.augment.device.DeviceViewParity;
import org.selfsup.natives.LibTorch;
import org.selfsup.util.UserException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Device augmentation throughput, and how far its views are from the PIL-exact CPU views. */
@Command(name = "device-aug", mixinStandardHelpOptions = true,
        description = {"Device augmentation (--augment-on device) throughput on synthetic images, and with --parity "
                + "its distance from the PIL-exact CPU views of the same images.",
            "Throughput counts source images per second including the host-side parameter sampling and the "
                    + "upload; --parity prints, per view, the mean absolute difference, the fraction of identical "
                    + "values and the largest difference, in uint8 levels. One JSON line per result."})
public final class BenchDeviceAugCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--plan", defaultValue = "rsa", completionCandidates = Candidates.DevicePlans.class,
            description = "View plan with a device form (${COMPLETION-CANDIDATES}). Default: ${DEFAULT-VALUE}.")
    String plan;

    @Option(names = "--batch", defaultValue = "256", description = "Source images per batch. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--size", defaultValue = "32", description = "Image and view side. Default: ${DEFAULT-VALUE}.")
    int size;

    @Option(names = "--seconds", defaultValue = "5", description = "Timed seconds. Default: ${DEFAULT-VALUE}.")
    double seconds;

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu. Default: ${DEFAULT-VALUE}.")
    String device;

    @Option(names = "--parity", description = "Compare --batch images' views with the CPU path's instead of timing. "
            + "Default: ${DEFAULT-VALUE}.")
    boolean parity;

    @Override
    public void run() {
        if (batch < 1 || size < 8 || seconds <= 0) {
            throw new UserException("--batch must be >= 1, --size >= 8 and --seconds > 0");
        }
        ai.djl.engine.Engine engine = ai.djl.engine.Engine.getEngine("PyTorch");
        boolean gpu = engine.getGpuCount() > 0;
        if (device.startsWith("gpu") && !gpu) {
            throw new UserException("--device gpu: no GPU: " + LibTorch.get().whyNoGpu());
        }
        if (!device.equals("auto") && !device.startsWith("gpu") && !device.equals("cpu")) {
            throw new UserException("--device: '" + device + "' is not auto, cpu or gpu");
        }
        if (device.equals("cpu") && gpu) {
            throw new UserException("--device cpu: a GPU is visible and DJL's default device would be it; hide it "
                    + "with CUDA_VISIBLE_DEVICES=\"\"");
        }
        PrintWriter out = spec.commandLine().getOut();
        try {
            if (parity) {
                for (DeviceViewParity.ViewParity p : DeviceViewParity.synthetic(plan, batch, size, 2024)) {
                    String dev = ai.djl.engine.Engine.getEngine("PyTorch").defaultDevice().toString();
                    out.printf(Locale.ROOT, "%s %s: mean |diff| %.4f levels, %.4f%% identical, max %.2f levels%n",
                            plan, p.view(), p.meanAbsLevels(), 100 * p.identical(), p.maxAbsLevels());
                    out.println(p.toJson(plan, batch, size, dev));
                }
            } else {
                DeviceAugBench.Result r = DeviceAugBench.measure(plan, batch, size, seconds);
                out.printf(Locale.ROOT, "device augmentation %s, batch %d, %dx%d on %s: %.0f src img/s%n",
                        plan, batch, size, size, r.device(), r.imagesPerSecond());
                out.println(r.toJson());
            }
        } catch (IllegalArgumentException e) {
            throw new UserException("--plan " + plan + ": " + e.getMessage());
        }
        out.flush();
    }
}
