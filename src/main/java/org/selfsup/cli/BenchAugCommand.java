package org.selfsup.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Locale;
import org.selfsup.augment.ViewPlan;
import org.selfsup.augment.plans.PlanOptions;
import org.selfsup.augment.plans.ViewPlans;
import org.selfsup.bench.AugBench;
import org.selfsup.data.Dataset;
import org.selfsup.data.ImageSet;
import org.selfsup.data.ImageStats;
import org.selfsup.data.ImageStore;
import org.selfsup.data.Normalization;
import org.selfsup.data.readers.DatasetRegistry;
import org.selfsup.data.readers.SyntheticImages;
import org.selfsup.util.UserException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Augmentation throughput in source images per second. */
@Command(name = "aug", mixinStandardHelpOptions = true,
        description = {"Augmentation throughput in source images per second.",
                "Runs the real batch pipeline (assembly threads + prefetch) on synthetic images of --size (or --dataset), "
                        + "after a warm-up; prints a readable line and one JSON line.",
                "Also reports source images per process CPU-second, which is robust to other processes "
                        + "sharing the cores (times --threads: the rate on that many dedicated cores)."})
public final class BenchAugCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--plan", defaultValue = "byol", completionCandidates = Candidates.Plans.class,
            description = "View plan (${COMPLETION-CANDIDATES}; dssl = dssl-cifar). Default: ${DEFAULT-VALUE}.")
    String plan;

    @Option(names = "--threads", defaultValue = "2", description = "Assembly threads. Default: ${DEFAULT-VALUE}.")
    int threads;

    @Option(names = "--size", defaultValue = "32",
            description = "View side in pixels (and the synthetic images' side; with --dataset, 0 = the data set's view size). "
                    + "Default: ${DEFAULT-VALUE}.")
    int size;

    @Option(names = "--dataset", completionCandidates = Candidates.Datasets.class,
            description = "Benchmark on this data set's pretraining split instead of synthetic images "
            + "(${COMPLETION-CANDIDATES}; e.g. fashion-mnist, the embedded subset). Default: none (synthetic).")
    String dataset;

    @Option(names = "--data-dir", description = "Directory of --dataset, where it needs one. Default: none.")
    Path dataDir;

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
        if (size < 4 && !(dataset != null && size == 0)) {
            throw new UserException("--size must be >= 4 (or 0 with --dataset), got " + size);
        }
        if (batch < 1 || images < batch) {
            throw new UserException("--images (" + images + ") must be >= --batch (" + batch + ") >= 1");
        }
        if (!(seconds > 0) || warmup < 0 || repeats < 1) {
            throw new UserException("--seconds must be > 0, --warmup >= 0 and --repeats >= 1");
        }
        String planName = plan.equals("dssl") ? "dssl-cifar" : plan;
        try {
            ViewPlans.create(planName, 32, PlanOptions.defaults()); // fail fast on a bad name
        } catch (UserException e) {
            throw new UserException("--plan: " + e.getMessage(), e); // name the flag
        }
        ImageSet store;
        Normalization norm;
        int viewSize = size;
        String source;
        if (dataset == null) {
            ImageStore generated = SyntheticImages.generate("bench", images, 10, size, 0, 0);
            store = generated;
            norm = ImageStats.normalizationOf(generated);
            source = "synthetic " + size + "x" + size;
        } else {
            Dataset ds = DatasetRegistry.load(dataset, dataDir, null);
            store = ds.pretrain();
            if (store.size() > images) {
                store = store.subset(store.name(), firstIndices(images));
            }
            if (store.size() < batch) {
                throw new UserException("--batch " + batch + " is larger than the " + store.size() + " images of " + dataset);
            }
            norm = ds.normalization();
            viewSize = size > 0 ? size : ds.viewSize();
            source = dataset + (store.fullResolution() ? " full-resolution files decoded every epoch ("
                    + org.selfsup.data.stream.ImageDecoder.describe() + ")" : " " + store.rgb(0).height() + "x" + store.rgb(0).width() + "x3 in memory");
        }
        ViewPlan viewPlan = ViewPlans.create(planName, viewSize, PlanOptions.defaults());
        AugBench.Result r = AugBench.run(store, viewPlan, norm, threads, batch, warmup, seconds, repeats);
        double median = r.medianImagesPerSecond();
        StringBuilder windows = new StringBuilder();
        for (double w : r.windows()) {
            windows.append(windows.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.0f", w));
        }
        spec.commandLine().getOut().printf(Locale.ROOT,
                "bench aug: plan %s (%d views of %dx%d from %s), %d threads, batch %d: %.0f source img/s (%.0f views/s; "
                        + "windows: %s); %.0f source img per CPU-second (%.2f cores busy on average)%n",
                r.plan(), r.views(), viewSize, viewSize, source, threads, batch, median, median * r.views(), windows,
                r.imagesPerCpuSecond(), r.cpuSeconds() / r.seconds());
        ObjectMapper json = new ObjectMapper();
        ObjectNode o = json.createObjectNode();
        o.put("bench", "aug");
        o.put("plan", r.plan());
        o.put("views", r.views());
        o.put("size", viewSize);
        o.put("source", source);
        o.put("threads", threads);
        o.put("batch", batch);
        o.put("images", store.size());
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

    private static int[] firstIndices(int n) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        return idx;
    }
}
