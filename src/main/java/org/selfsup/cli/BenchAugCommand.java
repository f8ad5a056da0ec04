package org.selfsup.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import org.selfsup.augment.AugBenchmark;
import org.selfsup.augment.ViewPlan;
import org.selfsup.augment.plans.PlanOptions;
import org.selfsup.augment.plans.ViewPlans;
import org.selfsup.data.ImageStats;
import org.selfsup.data.ImageStore;
import org.selfsup.data.SyntheticImages;
import org.selfsup.util.UserException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Augmentation throughput in source images per second. */
@Command(name = "aug", mixinStandardHelpOptions = true,
        description = {"Augmentation throughput in source images per second.",
                "Runs the real batch pipeline (assembly threads + prefetch) on synthetic images of --size, "
                        + "after a warm-up; prints a readable line and one JSON line.",
                "Also reports source images per process CPU-second, which is robust to other processes "
                        + "sharing the cores (times --threads: the rate on that many dedicated cores)."})
public final class BenchAugCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--plan", defaultValue = "byol",
            description = "View plan (byol, simsiam, rsa, rsa-aw, dssl = dssl-cifar, dssl-imagenet, "
                    + "dssl-byol-harder, heavy-pair, eval, probe-train). Default: ${DEFAULT-VALUE}.")
    String plan;

    @Option(names = "--threads", defaultValue = "2", description = "Assembly threads. Default: ${DEFAULT-VALUE}.")
    int threads;

    @Option(names = "--size", defaultValue = "32", description = "Source image and view side in pixels. Default: ${DEFAULT-VALUE}.")
    int size;

    @Option(names = "--images", defaultValue = "4096", description = "Number of synthetic source images. Default: ${DEFAULT-VALUE}.")
    int images;

    @Option(names = "--batch", defaultValue = "256", description = "Batch size. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--seconds", defaultValue = "10", description = "Length of each timed window in seconds. Default: ${DEFAULT-VALUE}.")
    double seconds;

    @Option(names = "--warmup", defaultValue = "3", description = "Untimed warm-up in seconds. Default: ${DEFAULT-VALUE}.")
    double warmup;

    @Option(names = "--repeats", defaultValue = "1", description = "Number of timed windows (the median is reported). Default: ${DEFAULT-VALUE}.")
    int repeats;

    @Override
    public void run() {
        if (threads < 1) {
            throw new UserException("--threads must be >= 1, got " + threads);
        }
        if (size < 4) {
            throw new UserException("--size must be >= 4, got " + size);
        }
        if (batch < 1 || images < batch) {
            throw new UserException("--images (" + images + ") must be >= --batch (" + batch + ") >= 1");
        }
        if (!(seconds > 0) || warmup < 0 || repeats < 1) {
            throw new UserException("--seconds must be > 0, --warmup >= 0 and --repeats >= 1");
        }
        String planName = plan.equals("dssl") ? "dssl-cifar" : plan;
        ViewPlan viewPlan = ViewPlans.create(planName, size, PlanOptions.defaults());
        ImageStore store = SyntheticImages.generate("bench", images, 10, size, 0, 0);
        AugBenchmark.Result r = AugBenchmark.run(store, viewPlan, ImageStats.normalizationOf(store), threads, batch,
                warmup, seconds, repeats);
        double median = r.medianImagesPerSecond();
        StringBuilder windows = new StringBuilder();
        for (double w : r.windows()) {
            windows.append(windows.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.0f", w));
        }
        spec.commandLine().getOut().printf(Locale.ROOT,
                "bench aug: plan %s (%d views), %dx%d, %d threads, batch %d: %.0f source img/s (%.0f views/s; "
                        + "windows: %s); %.0f source img per CPU-second (%.2f cores busy on average)%n",
                r.plan(), r.views(), size, size, threads, batch, median, median * r.views(), windows,
                r.imagesPerCpuSecond(), r.cpuSeconds() / r.seconds());
        ObjectMapper json = new ObjectMapper();
        ObjectNode o = json.createObjectNode();
        o.put("bench", "aug");
        o.put("plan", r.plan());
        o.put("views", r.views());
        o.put("size", size);
        o.put("threads", threads);
        o.put("batch", batch);
        o.put("images", images);
        o.put("src_img_per_s", Math.round(median * 10) / 10.0);
        o.put("view_img_per_s", Math.round(median * r.views() * 10) / 10.0);
        var arr = o.putArray("windows_src_img_per_s");
        for (double w : r.windows()) {
            arr.add(Math.round(w * 10) / 10.0);
        }
        o.put("seconds", Math.round(r.seconds() * 100) / 100.0);
        o.put("cpu_seconds", Math.round(r.cpuSeconds() * 100) / 100.0);
        o.put("src_img_per_cpu_s", Math.round(r.imagesPerCpuSecond() * 10) / 10.0);
        o.put("cores", Runtime.getRuntime().availableProcessors());
        spec.commandLine().getOut().println(o.toString());
        spec.commandLine().getOut().flush();
    }
}
