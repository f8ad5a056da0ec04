package org.selfsup.job;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.selfsup.config.TrainConfig;
import org.selfsup.config.TrainJob;
import org.selfsup.data.Dataset;
import org.selfsup.distributed.World;
import org.selfsup.eval.KnnMonitor;
import org.selfsup.eval.KnnResult;
import org.selfsup.eval.ProbeMonitor;
import org.selfsup.model.SslModel;
import org.selfsup.report.RunReport;
import org.selfsup.runtime.Devices;
import org.selfsup.tensorboard.TensorBoardLog;
import org.selfsup.train.ProgressBar;
import org.selfsup.train.TrainLoop;
import org.selfsup.train.TrainingDivergedException;
import org.selfsup.train.checkpoint.CheckpointStore;
import org.selfsup.train.checkpoint.MetricsLog;
import org.selfsup.train.checkpoint.RunDir;
import org.selfsup.util.IoMessages;
import org.selfsup.util.MetricKeys;
import org.selfsup.util.UserException;

/**
 * The whole pretraining job behind {@code selfsup train}: load the data, train with the kNN monitor,
 * score the same encoder at random initialisation with the same protocol, append a {@code summary}
 * line to {@code metrics.jsonl} and render {@code report.html}.
 *
 * <p>Re-running a finished run only recomputes the summary and the report.
 */
public final class PretrainJob implements TrainJob {
    /** Exit code of a run stopped by a NaN or infinite loss. */
    public static final int EXIT_DIVERGED = 3;

    /**
     * {@inheritDoc} Refuses a busy or unwritable run folder now, not after loading a large data set (the
     * training takes the lock for the whole run later).
     */
    @Override
    public void check(TrainConfig config, boolean resume) {
        Path checkpoints = config.runDirPath().resolve("checkpoints");
        try {
            if (resume && new CheckpointStore(checkpoints).candidates().isEmpty()) {
                throw new UserException("--resume: " + (Files.isDirectory(config.runDirPath())
                        ? "run folder " + config.runDirPath() + " has no checkpoint to resume from"
                        : "there is no run folder " + config.runDirPath() + " to resume")
                        + " (check --name and --runs-dir, or leave out --resume to start the run)");
            }
        } catch (IOException e) {
            throw new UserException("cannot read " + checkpoints + ": " + IoMessages.reason(e), e);
        }
        if (World.detect().writer()) { // data-parallel ranks > 0 never touch the run folder (rank 0 holds it)
            RunDir.probe(Path.of(config.runsDir), config.name);
        }
    }

    @Override
    public int run(TrainConfig config, boolean resume, PrintWriter out) {
        // a GPU that is not there, or a precision this libtorch cannot run, fails before anything is touched
        RunParts.checkExecution(config);
        boolean writer = World.detect().writer();
        if (!writer) {
            // data-parallel rank > 0: rank 0 alone reports, writes and evaluates; errors still reach stderr
            out = new PrintWriter(java.io.Writer.nullWriter());
        }
        check(config, resume);
        Pretraining training = new Pretraining(config, out).terminal(ProgressBar.isTerminal())
                .requireCheckpoint(resume);
        Dataset ds = training.dataset();
        out.printf("data: %s — %d pretraining images, %d train / %s test labelled, views %d px%s%n",
                ds.name(), ds.pretrain().size(), ds.train().size(), ds.test() == null ? "no" : ds.test().size(),
                training.viewSize(), ds.fullResolution() ? " (full-resolution files, streamed)" : "");
        if (config.knnEvery > 0 && training.monitor() == null) {
            out.println("kNN monitor off: " + ds.name() + " " + ds.whyNoEvaluation() + " (pretraining only)");
        }
        if (config.probe != null && !config.probe.isEmpty() && training.probe() == null) {
            out.println("linear probe off: " + ds.name() + " " + ds.whyNoEvaluation() + " (pretraining only)");
        }
        out.flush();
        TrainLoop.Result result;
        try {
            result = training.run();
        } catch (TrainingDivergedException e) {
            out.println("error: " + e.getMessage());
            out.flush();
            return EXIT_DIVERGED;
        }
        if (!writer) {
            return 0;
        }
        Path runDir = config.runDirPath();
        out.printf("trained: %d steps; checkpoints in %s%n", result.state().step(), runDir.resolve("checkpoints"));
        KnnMonitor monitor = training.monitor();
        ProbeMonitor probe = training.probe();
        Map<String, Object> online = onlineProbe(runDir.resolve("metrics.jsonl"),
                Math.toIntExact(config.effectiveBatch()), out);
        if (monitor != null || probe != null || !online.isEmpty()) {
            summarise(training, monitor, probe, online, result.state().step(), runDir, out);
        }
        Path report = RunReport.render(runDir, out::println);
        out.println("report: " + report);
        out.flush();
        return 0;
    }

    /** Writes the summary line (kNN with its baselines, probe) and the console result. */
    private static void summarise(Pretraining training, KnnMonitor monitor, ProbeMonitor probe,
                                  Map<String, Object> online, long step, Path runDir, PrintWriter out) {
        Path metrics = runDir.resolve("metrics.jsonl");
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("step", step);
        if (monitor != null) {
            summariseKnn(training, monitor, metrics, summary, out);
        }
        summary.putAll(online);
        if (probe != null) {
            Double top1 = lastEval(metrics, MetricKeys.PROBE_TOP1);
            summary.put(MetricKeys.PROBE_TOP1, top1);
            summary.put(MetricKeys.PROBE_TOP5, lastEval(metrics, MetricKeys.PROBE_TOP5));
            summary.put("probe_protocol", probe.protocol());
            out.printf("linear probe (%s, final epoch, all %d test images): test top-1 %s%%%n", probe.protocol(),
                    training.dataset().test().size(), top1 == null ? "n/a" : String.format("%.2f", top1));
        }
        TensorBoardLog board = null;
        if (training.config().tensorboard) {
            try {
                board = TensorBoardLog.open(runDir.resolve(TensorBoardLog.FOLDER), Long.MAX_VALUE, out::println);
            } catch (IOException | RuntimeException e) {
                out.println("warning: TensorBoard log: no summary (" + e.getMessage() + ")");
            }
        }
        try (MetricsLog log = MetricsLog.open(metrics, Long.MAX_VALUE, out::println); TensorBoardLog b = board) {
            if (b != null) {
                log.alsoTo(b::record);
            }
            log.write("summary", summary);
        }
    }

    /**
     * The online probe's final numbers from the metrics ({@code online_probe_top1}: the last kNN point's test
     * top-1; {@code online_probe_cost_pct}: its host time as a share of the logged steps' time), printed as
     * one line; empty when the run had no online probe.
     */
    static Map<String, Object> onlineProbe(Path metrics, int imagesPerStep, PrintWriter out) {
        Map<String, Object> s = new LinkedHashMap<>();
        double probeMs = 0;
        double stepMs = 0;
        int lines = 0;
        Double trainAcc = null;
        for (JsonNode n : MetricsLog.read(metrics)) {
            if ("step".equals(n.path("type").asText()) && n.has("online_probe_ms") && n.path("img_per_s").asDouble() > 0) {
                probeMs += n.get("online_probe_ms").asDouble();
                stepMs += 1000.0 * imagesPerStep / n.get("img_per_s").asDouble();
                lines++;
                if (n.has("online_probe_acc")) {
                    trainAcc = n.get("online_probe_acc").asDouble();
                }
            }
        }
        if (lines == 0) {
            return s;
        }
        Double top1 = lastEval(metrics, "online_probe_top1");
        double cost = 100.0 * probeMs / stepMs;
        s.put("online_probe_top1", top1);
        s.put("online_probe_acc", trainAcc);
        s.put("online_probe_cost_pct", cost);
        out.printf("online linear probe: test top-1 %s%% (last kNN point), running train top-1 %s%%; it took %.1f%% "
                        + "of the step time%n", top1 == null ? "n/a" : String.format("%.2f", top1),
                trainAcc == null ? "n/a" : String.format("%.2f", trainAcc), cost);
        return s;
    }

    /** Scores the random-initialisation and raw-pixel baselines next to the trained encoder's kNN. */
    private static void summariseKnn(Pretraining training, KnnMonitor monitor, Path metrics,
                                     Map<String, Object> summary, PrintWriter out) {
        TrainConfig config = training.config();
        Dataset ds = training.dataset();
        Double trained = lastEval(metrics, MetricKeys.KNN_TOP1);
        KnnResult random;
        try (NDManager manager = NDManager.newBaseManager(Devices.select(config.device));
             SslModel init = training.createInitialEncoder(manager)) {
            random = monitor.evaluate(init);
        }
        KnnResult pixels = monitor.evaluateRawPixels();
        summary.put(MetricKeys.KNN_TOP1, trained);
        summary.put(MetricKeys.KNN_TOP1 + "_random_init", random.top1());
        summary.put(MetricKeys.KNN_TOP1 + "_raw_pixels", pixels.top1());
        summary.put("knn_k", config.knnK);
        summary.put("knn_t", config.knnT);
        summary.put("test_images", ds.test().size());
        out.printf("kNN top-1 (k=%d, t=%s, all %d test images): trained encoder %s%% | same encoder at random init "
                        + "%.2f%% | raw pixels %.2f%%%n",
                config.knnK, config.knnT, ds.test().size(), trained == null ? "n/a" : String.format("%.2f", trained),
                random.top1(), pixels.top1());
    }

    /** The last value of {@code key} an evaluation logged, or null. */
    private static Double lastEval(Path metrics, String key) {
        Double v = null;
        List<JsonNode> lines = MetricsLog.read(metrics);
        for (JsonNode n : lines) {
            if ("eval".equals(n.path("type").asText()) && n.has(key)) {
                v = n.get(key).asDouble();
            }
        }
        return v;
    }
}
