package org.selfsup.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.selfsup.bench.EpochBench;
import org.selfsup.config.ConfigLayer;
import org.selfsup.config.ConfigResolver;
import org.selfsup.config.TrainConfig;
import org.selfsup.data.DataOptions;
import org.selfsup.data.Dataset;
import org.selfsup.data.readers.DatasetRegistry;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Epoch speed with the real input pipeline. */
@Command(name = "epoch", mixinStandardHelpOptions = true, sortOptions = false, abbreviateSynopsis = true,
        modelTransformer = TrainCommand.ConfigFlags.class,
        description = {"Epoch speed with the real input pipeline.",
                "Builds the training configuration exactly as 'selfsup train' does (--preset, --config, then any "
                        + "train flag) and trains with the real data set, view plan, CPU or device augmentation "
                        + "(--augment-on) and prefetching, without run folder, checkpoints or kNN monitor. Reports "
                        + "source img/s and how long the trainer waited for data (total and per step), as a table and "
                        + "one JSON line. --epochs defaults to 1 here."})
public final class BenchEpochCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--preset", paramLabel = "NAME", order = -10,
            description = "Preset to start from. Default: the config file's 'preset' key, else demo.")
    String preset;

    @Option(names = "--config", paramLabel = "FILE", order = -9,
            description = "Configuration file applied over the preset; flags override it. Default: none.")
    Path configFile;

    @Option(names = "--max-steps", paramLabel = "N", order = -8, defaultValue = "0",
            description = "Stop after N steps (0 = run all epochs). Default: ${DEFAULT-VALUE}.")
    long maxSteps;

    @Option(names = "--no-stage", order = -7,
            description = "Make the next batch's device arrays (upload; on the device path also the augmentation) "
                    + "on the training thread instead of one step ahead on the staging thread. Default: ${DEFAULT-VALUE}.")
    boolean noStage;

    @Override
    public void run() {
        Map<String, String> given = TrainCommand.ConfigFlags.given(spec);
        if (!given.containsKey("epochs")) {
            given.put("epochs", "1");
        }
        if (!given.containsKey("name")) {
            given.put("name", "bench-epoch");
        }
        TrainConfig config = ConfigResolver.resolve(preset, configFile, ConfigLayer.fromFlags(given));
        if (maxSteps < 0) {
            throw new org.selfsup.util.UserException("--max-steps must be >= 0, got " + maxSteps);
        }
        org.selfsup.job.RunParts.checkExecution(config);
        Dataset ds = DatasetRegistry.load(config.dataset, config.dataDirPath(), new DataOptions());
        EpochBench.Result r = EpochBench.run(config, ds, maxSteps, !noStage, spec.commandLine().getOut());
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "bench epoch: %s, %s, plan %s on %s (%d images), batch %d, augment-on %s, %d threads, "
                        + "prefetch %d, device %s, precision %s%s, %s%n", config.method, config.arch, config.effectivePlan(),
                ds.name(), ds.pretrain().size(), config.batchSize, r.augmentOn(), config.threads, config.prefetch,
                r.device(), config.precision, config.channelsLast ? " channels-last" : "",
                noStage ? "no staging" : "next batch staged on the device ahead");
        out.printf(Locale.ROOT, "  %-24s %d (%.1f s)%n", "steps", r.steps(), r.seconds());
        out.printf(Locale.ROOT, "  %-24s %.1f%n", "source img/s", r.imagesPerSecond());
        if (r.ranks() > 1) {
            out.printf(Locale.ROOT, "  %-24s %d (batch %d per rank; this is rank %d)%n", "data-parallel ranks",
                    r.ranks(), r.batch(), org.selfsup.distributed.World.detect().rank());
            out.printf(Locale.ROOT, "  %-24s %.1f%n", "total source img/s", r.totalImagesPerSecond());
            out.printf(Locale.ROOT, "  %-24s %.1f ms mean per step%n", "all-reduce", r.allReduceMs());
        }
        out.printf(Locale.ROOT, "  %-24s %.1f ms (%.1f%% of the time)%n", "waited for data, total", r.totalWaitMs(),
                100 * r.totalWaitMs() / 1000 / Math.max(r.seconds(), 1e-9));
        out.printf(Locale.ROOT, "  %-24s %.2f ms mean, %.2f ms median%n", "waited per step", r.meanWaitMs(),
                r.medianWaitMs());
        out.printf(Locale.ROOT, "  %-24s %.2f ms (cold pipeline)%n", "waited for first batch",
                r.steps() > 0 ? r.waitMs()[0] : Double.NaN);
        if (!Double.isNaN(r.boundaryWaitMs())) {
            out.printf(Locale.ROOT, "  %-24s %.2f ms (next epoch prefetched)%n", "waited at epoch start",
                    r.boundaryWaitMs());
        }
        out.printf(Locale.ROOT, "  %-24s %d -> %d%n", "live native arrays", r.arraysStart(), r.arraysEnd());
        out.printf(Locale.ROOT, "  %-24s %.1f -> %.1f MiB%n", "RSS", r.rssStartKib() / 1024.0, r.rssEndKib() / 1024.0);
        out.printf(Locale.ROOT, "  %-24s %.5f%n", "last loss", r.lastLoss());
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("bench", "epoch");
        o.put("method", config.method);
        o.put("arch", config.arch);
        o.put("plan", config.effectivePlan());
        o.put("dataset", ds.name());
        o.put("images", ds.pretrain().size());
        o.put("batch", config.batchSize);
        o.put("augment_on", r.augmentOn());
        o.put("threads", config.threads);
        o.put("prefetch", config.prefetch);
        o.put("device", r.device());
        o.put("precision", config.precision);
        o.put("channels_last", config.channelsLast);
        o.put("tf32", config.tf32);
        o.put("staged", !noStage);
        o.put("steps", r.steps());
        o.put("seconds", round(r.seconds()));
        o.put("src_img_per_s", round(r.imagesPerSecond()));
        o.put("ranks", r.ranks());
        o.put("total_src_img_per_s", round(r.totalImagesPerSecond()));
        o.put("all_reduce_ms", round(r.allReduceMs()));
        o.put("wait_ms_total", round(r.totalWaitMs()));
        o.put("wait_ms_per_step", round(r.meanWaitMs()));
        o.put("wait_ms_median", round(r.medianWaitMs()));
        if (r.steps() > 0) {
            o.put("wait_ms_first_step", round(r.waitMs()[0]));
        }
        if (!Double.isNaN(r.boundaryWaitMs())) {
            o.put("wait_ms_epoch_start", round(r.boundaryWaitMs()));
        }
        o.put("arrays_start", r.arraysStart());
        o.put("arrays_end", r.arraysEnd());
        o.put("rss_start_kib", r.rssStartKib());
        o.put("rss_end_kib", r.rssEndKib());
        o.put("last_loss", r.lastLoss());
        out.println(o);
        out.flush();
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
