package org.selfsup.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import org.selfsup.bench.StepBench;
import org.selfsup.config.TrainConfig;
import org.selfsup.runtime.Precision;
import org.selfsup.runtime.TorchThreads;
import org.selfsup.util.UserException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Training step speed on synthetic data. */
@Command(name = "step", mixinStandardHelpOptions = true,
        description = {"Training step speed on synthetic data.",
                "Runs the trainer's own step (views to the device, EMA, forward, loss, backward, optimiser) on "
                        + "random normalised views: --warmup untimed steps, then --steps timed ones. Prints a table "
                        + "(median ms/step, source img/s, time per phase, live native arrays and RSS at start and end) "
                        + "and one JSON line."})
public final class BenchStepCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--method", defaultValue = "rsa", completionCandidates = Candidates.Methods.class,
            description = "Method (${COMPLETION-CANDIDATES}). Default: ${DEFAULT-VALUE}.")
    String method;

    @Option(names = "--heavy", defaultValue = "none", completionCandidates = Candidates.Strategies.class,
            description = "Heavy-augmentation strategy applied to a base --method (${COMPLETION-CANDIDATES}). "
                    + "Default: ${DEFAULT-VALUE}.")
    String heavy;

    @Option(names = "--arch", defaultValue = "resnet18-cifar", completionCandidates = Candidates.Archs.class,
            description = "Backbone (${COMPLETION-CANDIDATES}). Default: ${DEFAULT-VALUE}.")
    String arch;

    @Option(names = "--batch", defaultValue = "64", description = "Source images per step. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--views", defaultValue = "0",
            description = "Views per source image; 0 = the method's own count (the only count it can read). "
                    + "Default: ${DEFAULT-VALUE}.")
    int views;

    @Option(names = "--size", defaultValue = "32", description = "View side in pixels. Default: ${DEFAULT-VALUE}.")
    int size;

    @Option(names = "--device", defaultValue = "auto", description = "Device: auto, cpu or gpu. Default: ${DEFAULT-VALUE}.")
    String device;

    @Option(names = "--steps", defaultValue = "10", description = "Timed steps. Default: ${DEFAULT-VALUE}.")
    int steps;

    @Option(names = "--warmup", defaultValue = "3", description = "Untimed warm-up steps. Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = "--width", defaultValue = "16", description = "Base width of the small arch. Default: ${DEFAULT-VALUE}.")
    int width;

    @Option(names = "--blocks", defaultValue = "1,1,1,1", split = ",",
            description = "Blocks per stage of the small arch. Default: ${DEFAULT-VALUE}.")
    List<Integer> blocks;

    @Option(names = "--patch-size", defaultValue = "16", description = "Patch side of the ViT archs. Default: ${DEFAULT-VALUE}.")
    int patchSize;

    @Option(names = "--optimizer", defaultValue = "sgd", completionCandidates = Candidates.OptimizerNames.class,
            description = "Optimiser: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    String optimizer;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the weights and synthetic views. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--precision", defaultValue = "fp32", completionCandidates = Candidates.Precisions.class,
            description = "Forward arithmetic: ${COMPLETION-CANDIDATES} (bf16: autocast; fp16: autocast + loss "
                    + "scaling). Default: ${DEFAULT-VALUE}.")
    String precision;

    @Option(names = "--channels-last", description = "Convolution weights in channels-last memory format. "
            + "Default: ${DEFAULT-VALUE}.")
    boolean channelsLast;

    @Option(names = "--tf32", description = "Allow TF32 in float32 matmuls and convolutions (GPU only). "
            + "Default: ${DEFAULT-VALUE}.")
    boolean tf32;

    @Option(names = "--cudnn-benchmark", description = "Let cuDNN time convolution algorithms (GPU only). "
            + "Default: ${DEFAULT-VALUE}.")
    boolean cudnnBenchmark;

    @Option(names = "--torch-threads", defaultValue = "0",
            description = "PyTorch intra-op threads (0 = the engine's default, one per core). 1 gives stabler "
                    + "figures on a machine shared with other jobs. Default: ${DEFAULT-VALUE}.")
    int torchThreads;

    @Override
    public void run() {
        TorchThreads.apply(torchThreads, "--torch-threads");
        if (batch < 2) {
            throw new UserException("--batch must be >= 2 (BatchNorm needs two samples), got " + batch);
        }
        if (size < 8) {
            throw new UserException("--size must be >= 8, got " + size);
        }
        if (!Precision.LABELS.contains(precision)) {
            throw new UserException("--precision: '" + precision + "' is not one of " + String.join(", ",
                    Precision.LABELS));
        }
        TrainConfig config = config();
        PrintWriter out = spec.commandLine().getOut();
        org.selfsup.job.RunParts.checkExecution(config);
        StepBench.Result r = StepBench.run(config, views, steps, warmup, out);
        org.selfsup.distributed.World world = org.selfsup.distributed.World.detect();
        if (r.ranks() > 1 && !world.writer()) {
            out.printf(Locale.ROOT, "bench step %s: %.1f source img/s, median step %.1f ms, all-reduce %.1f ms%n",
                    world.label(), r.sourceImagesPerSecond(), r.medianMs(), r.allReduceMs());
            out.flush();
            return;
        }
        out.printf(Locale.ROOT, "bench step: %s, %s, batch %d x %d views of %dx%d on %s, precision %s%s "
                        + "(%d warm-up + %d timed steps)%n", r.method(), r.arch(), r.batch(), r.views(), r.size(),
                r.size(), r.device(), precision, channelsLast ? ", channels-last" : "", warmup, steps);
        row(out, "median step", "%.1f ms", r.medianMs());
        row(out, "source img/s", "%.1f", r.sourceImagesPerSecond());
        if (r.ranks() > 1) {
            out.printf(Locale.ROOT, "  %-20s %d (batch %d per rank)%n", "data-parallel ranks", r.ranks(), r.batch());
            row(out, "total source img/s", "%.1f", r.totalImagesPerSecond());
            row(out, "  all-reduce", "%.1f ms", r.allReduceMs());
        }
        row(out, "  forward+backward", "%.1f ms", r.forwardBackwardMs());
        row(out, "  optimiser", "%.1f ms", r.optimizerMs());
        row(out, "  EMA", "%.1f ms", r.emaMs());
        out.printf(Locale.ROOT, "  %-20s %d -> %d%n", "live native arrays", r.arraysStart(), r.arraysEnd());
        out.printf(Locale.ROOT, "  %-20s %.1f -> %.1f MiB%n", "RSS", r.rssStartKib() / 1024.0, r.rssEndKib() / 1024.0);
        row(out, "last loss", "%.5f", r.lastLoss());
        if (r.peakDeviceMemBytes() >= 0) {
            row(out, "peak GPU memory", "%.0f MiB", r.peakDeviceMemBytes() / 1048576.0);
        }
        out.println(toJson(r));
        out.flush();
    }

    private static void row(PrintWriter out, String name, String format, double value) {
        out.printf(Locale.ROOT, "  %-20s " + format + "%n", name, value);
    }

    private TrainConfig config() {
        TrainConfig c = new TrainConfig();
        c.method = method;
        c.heavy = heavy;
        c.arch = arch;
        c.width = width;
        c.blocks = blocks;
        c.patchSize = patchSize;
        c.batchSize = batch;
        c.imageSize = size;
        c.device = device;
        c.optimizer = optimizer;
        c.seed = seed;
        c.precision = precision;
        c.channelsLast = channelsLast;
        c.tf32 = tf32;
        c.cudnnBenchmark = cudnnBenchmark;
        c.torchThreads = torchThreads;
        return c;
    }

    private String toJson(StepBench.Result r) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode o = json.createObjectNode();
        o.put("bench", "step");
        o.put("method", r.method());
        o.put("arch", r.arch());
        if (arch.equals("small")) {
            o.put("width", width);
            o.put("blocks", blocks.toString());
        }
        o.put("batch", r.batch());
        o.put("views", r.views());
        o.put("size", r.size());
        o.put("device", r.device());
        o.put("optimizer", optimizer);
        o.put("precision", precision);
        o.put("channels_last", channelsLast);
        o.put("tf32", tf32);
        o.put("torch_threads", torchThreads);
        o.put("warmup", warmup);
        o.put("steps", steps);
        o.put("median_ms", round(r.medianMs()));
        o.put("src_img_per_s", round(r.sourceImagesPerSecond()));
        o.put("ranks", r.ranks());
        o.put("total_src_img_per_s", round(r.totalImagesPerSecond()));
        o.put("all_reduce_ms", round(r.allReduceMs()));
        o.put("forward_backward_ms", round(r.forwardBackwardMs()));
        o.put("optimizer_ms", round(r.optimizerMs()));
        o.put("ema_ms", round(r.emaMs()));
        ArrayNode times = o.putArray("step_ms");
        for (double t : r.stepMs()) {
            times.add(round(t));
        }
        o.put("arrays_start", r.arraysStart());
        o.put("arrays_end", r.arraysEnd());
        o.put("rss_start_kib", r.rssStartKib());
        o.put("rss_end_kib", r.rssEndKib());
        o.put("last_loss", r.lastLoss());
        if (r.peakDeviceMemBytes() >= 0) {
            o.put("peak_device_mem_mb", round(r.peakDeviceMemBytes() / 1048576.0));
        }
        o.put("cores", Runtime.getRuntime().availableProcessors());
        return o.toString();
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
