package org.selfsup.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.selfsup.augment.BatchAssembler;
import org.selfsup.augment.EpochLoader;
import org.selfsup.augment.device.DevicePlan;
import org.selfsup.config.TrainConfig;
import org.selfsup.data.Normalization;
import org.selfsup.method.LossOutput;
import org.selfsup.method.SslMethod;
import org.selfsup.method.StepContext;
import org.selfsup.train.optim.Lars;
import org.selfsup.train.optim.Optimizer;
import org.selfsup.train.optim.Sgd;
import org.selfsup.util.UserException;

/**
 * The one training loop for every method. Batches come from a {@link BatchSource} (CPU assembly, or
 * {@code augment-on: device}), prefetched ahead and across epoch boundaries; the step itself is
 * {@link StepRunner}. Per step: a sub-manager; views to the device; k += 1; EMA
 * (if before-forward); forward + loss under a gradient collector; backward; optimiser step with the
 * scheduled learning rate; EMA (if after-step); on logged steps only, the host reads back the loss terms,
 * shift diagnostics and projection std, checks they are finite and writes a metrics line. Checkpoints at
 * the end of every epoch ({@code last.ckpt}, plus {@code epoch-NNNN.ckpt} every {@code checkpoint-every}
 * epochs) and every {@code checkpoint-steps} steps; epoch hooks (kNN monitor) after the epoch's checkpoint.
 *
 * <p>Re-running on the same run folder resumes from the newest good checkpoint, exactly: the data order
 * and augmentation are functions of (seed, epoch, index), the schedules of k, and the checkpoint holds all
 * parameters, BN statistics and momentum buffers.
 */
public final class TrainLoop {
    /** Called after each epoch's checkpoint; returned values are logged as an {@code eval} line. */
    @FunctionalInterface
    public interface EpochHook {
        Map<String, Double> onEpochEnd(int epoch, long step);
    }

    /** How a call to {@link #run()} ended. */
    public record Result(TrainState state, long totalSteps, boolean complete) {}

    private final TrainConfig config;
    private final SslMethod method;
    private final TrainableModel model;
    private final BatchAssembler assembler;
    private final NDManager manager;
    private final RunDir run;
    private final String modelSpecJson;
    private final PrintWriter console;
    private final List<EpochHook> hooks = new ArrayList<>();
    private long stopAfterSteps = Long.MAX_VALUE;
    private boolean terminal;
    private boolean requireCheckpoint;
    private DevicePlan devicePlan;
    private Normalization deviceNorm;

    /**
     * @param config        effective, validated configuration
     * @param method        the loss
     * @param model         networks and parameters, on {@code manager}'s device
     * @param assembler     makes the view batches (its store, plan and the run seed)
     * @param manager       device manager owning the model; per-step sub-managers come from it
     * @param run           the locked run folder
     * @param modelSpecJson the model spec, stored in checkpoints
     * @param console       progress and messages
     */
    public TrainLoop(TrainConfig config, SslMethod method, TrainableModel model, BatchAssembler assembler,
                     NDManager manager, RunDir run, String modelSpecJson, PrintWriter console) {
        this.config = config;
        this.method = method;
        this.model = model;
        this.assembler = assembler;
        this.manager = manager;
        this.run = run;
        this.modelSpecJson = modelSpecJson;
        this.console = console;
    }

    /** Adds a hook run after every epoch. */
    public void addHook(EpochHook hook) {
        hooks.add(hook);
    }

    /** Stops (as if killed, without a final checkpoint) after this many steps in this call; for tests. */
    public void stopAfterSteps(long steps) {
        this.stopAfterSteps = steps;
    }

    /** Draws a redrawn progress bar (for an interactive terminal) instead of plain lines. */
    public void setTerminal(boolean terminal) {
        this.terminal = terminal;
    }

    /** Fails with a user error if the run folder holds no checkpoint ({@code --resume}). */
    public void setRequireCheckpoint(boolean require) {
        this.requireCheckpoint = require;
    }

    /**
     * Augments on the model's device ({@code augment-on: device}) with {@code plan} instead of the
     * assembler's CPU plan; the assembler still supplies the store and the seed.
     */
    public void setDeviceAugmentation(DevicePlan plan, Normalization norm) {
        this.devicePlan = plan;
        this.deviceNorm = norm;
    }

    /** The batch source of this run: CPU assembly, or the device path if set. */
    private BatchSource batchSource() {
        if (devicePlan != null) {
            return new DeviceBatchSource(devicePlan, deviceNorm, assembler.store(), method.views(), manager,
                    assembler.seed(), config.batchSize, config.prefetch, config.epochs, manager);
        }
        return new CpuBatchSource(assembler, method.views(), config.batchSize, config.prefetch, config.epochs,
                manager);
    }

    /** Steps per epoch: floor(N / B). */
    public int stepsPerEpoch() {
        return EpochLoader.batchCount(assembler.store().size(), config.batchSize, true);
    }

    /** Builds the configured optimiser over {@code model}'s trainable parameters. */
    public static Optimizer optimizer(TrainConfig c, TrainableModel model, NDManager manager) {
        return switch (c.optimizer) {
            case "sgd" -> new Sgd(model.trainableParameters(), manager, c.momentum, c.nesterov, c.weightDecay);
            case "lars" -> new Lars(model.trainableParameters(), manager, c.momentum, c.nesterov, c.weightDecay,
                    0.001);
            default -> throw new UserException("optimizer: unknown value '" + c.optimizer + "' (sgd, lars)");
        };
    }

    /** Trains until the end (or {@link #stopAfterSteps}), resuming from the run folder's checkpoint if any. */
    public Result run() {
        int steps = stepsPerEpoch();
        if (steps == 0) {
            throw new UserException("batch-size: " + config.batchSize + " is larger than the data set ("
                    + assembler.store().size() + " images in " + assembler.store().name() + ")");
        }
        long total = (long) config.epochs * steps;
        try (Optimizer opt = optimizer(config, model, manager)) {
            CheckpointStore store = CheckpointStore.forWriting(run.checkpoints());
            TrainState state = resume(store, opt);
            run.writeConfig(config.toYaml());
            try (MetricsLog log = MetricsLog.open(run.metricsFile(), state.step());
                 Ema ema = model.emaPairs().isEmpty() ? null : new Ema(model.emaPairs(), manager);
                 BatchSource source = batchSource();
                 StepSchedules schedules = StepSchedules.forRun(config, steps, total, ema != null, manager)) {
                Session session = new Session(store, opt, ema, log, source, steps, total);
                session.runner.useDeviceSchedules(schedules);
                return session.train(state);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("training I/O failed in " + run.root(), e);
        }
    }

    private TrainState resume(CheckpointStore store, Optimizer opt) {
        CheckpointStore.Loaded<TrainState> loaded = store.loadLatest(in -> {
            Checkpoint.Header h = Checkpoint.readHeader(in);
            checkSameRun(h);
            Checkpoint.readState(in, model, opt);
            return h.state();
        }, msg -> {
            console.println(msg);
            console.flush();
        });
        if (loaded == null) {
            if (requireCheckpoint) {
                throw new UserException("--resume: run folder " + run.root() + " has no checkpoint to resume from");
            }
            return TrainState.START;
        }
        TrainState s = loaded.value();
        console.println("resuming " + run.root() + " from " + loaded.file().getFileName() + " at step " + s.step()
                + " (epoch " + (s.epoch() + 1) + ", batch " + s.batch() + ")");
        console.flush();
        return s;
    }

    /** Settings that may differ between the original and the resuming command. */
    private static final List<String> NON_TRAINING_KEYS = List.of("name", "runs-dir", "data-dir", "threads",
            "prefetch", "device", "knn-every", "knn-k", "knn-t", "checkpoint-every", "checkpoint-steps",
            "log-every", "collapse-std", "preset");

    private void checkSameRun(Checkpoint.Header h) throws IOException {
        JsonNode saved = JSON.readTree(h.configJson());
        JsonNode now = JSON.readTree(config.toJson());
        List<String> diffs = new ArrayList<>();
        now.fieldNames().forEachRemaining(key -> {
            if (!NON_TRAINING_KEYS.contains(key) && !now.get(key).equals(saved.get(key))) {
                diffs.add(key + " (checkpoint: " + saved.get(key) + ", now: " + now.get(key) + ")");
            }
        });
        if (!diffs.isEmpty()) {
            throw new UserException("run folder " + run.root() + " holds a checkpoint of a different configuration: "
                    + String.join(", ", diffs) + "; use another --name to start a new run");
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    /** The mutable state of one {@link #run()} call. */
    private final class Session {
        private final CheckpointStore store;
        private final Optimizer opt;
        private final Ema ema;
        private final StepRunner runner;
        private final MetricsLog log;
        private final BatchSource source;
        private final int steps;
        private final long total;
        private final ProgressBar progress;
        private final long startNs = System.nanoTime();
        private long stepsThisRun;
        private long lastLogNs = System.nanoTime();
        private long stepsSinceLog;
        private long waitNsSinceLog;
        private int collapseWarnedEpoch = -1;

        Session(CheckpointStore store, Optimizer opt, Ema ema, MetricsLog log, BatchSource source, int steps,
                long total) {
            this.store = store;
            this.opt = opt;
            this.ema = ema;
            this.runner = new StepRunner(method, model, opt, ema, Ema.Timing.parse(config.emaTiming), manager);
            this.log = log;
            this.source = source;
            this.steps = steps;
            this.total = total;
            this.progress = new ProgressBar(console, terminal, total);
        }

        Result train(TrainState from) throws IOException {
            if (from.step() >= total) {
                console.println("run " + run.root() + " is already complete (" + total + " steps)");
                console.flush();
                return new Result(from, total, true);
            }
            rerunMissedHooks(from);
            opt.zeroGrad();
            long k = from.step();
            for (int epoch = from.epoch(); epoch < config.epochs; epoch++) {
                int start = epoch == from.epoch() ? from.batch() : 0;
                long epochStartNs = System.nanoTime();
                int batch = start;
                try (BatchSource.Epoch loader = source.epoch(epoch, start)) {
                    while (loader.hasNext()) {
                        k++;
                        boolean lastOfEpoch = batch == steps - 1;
                        boolean checkpointNow = config.checkpointSteps > 0 && k % config.checkpointSteps == 0
                                && !lastOfEpoch;
                        boolean readBack = k % Math.max(1, config.logEvery) == 0 || lastOfEpoch || checkpointNow;
                        step(loader, k, epoch, batch, readBack);
                        batch++;
                        stepsThisRun++;
                        if (checkpointNow) {
                            save(new TrainState(k, epoch, batch), 0);
                        }
                        if (stepsThisRun >= stopAfterSteps) {
                            progress.finish();
                            return new Result(new TrainState(k, epoch, batch), total, false);
                        }
                    }
                }
                double seconds = (System.nanoTime() - epochStartNs) / 1e9;
                Map<String, Object> rec = new LinkedHashMap<>();
                rec.put("epoch", epoch);
                rec.put("step", k);
                rec.put("seconds", seconds);
                rec.put("img_per_s", (batch - start) * (double) config.batchSize / Math.max(seconds, 1e-9));
                log.write("epoch", rec);
                int done = epoch + 1;
                boolean keep = config.checkpointEvery > 0 && done % config.checkpointEvery == 0;
                save(new TrainState(k, done, 0), keep ? done : 0);
                runHooks(epoch, k);
            }
            progress.finish();
            return new Result(new TrainState(k, config.epochs, 0), total, true);
        }

        private void step(BatchSource.Epoch loader, long k, int epoch, int batch, boolean readBack) {
            double lr = LrSchedule.lr(config, epoch, batch, steps);
            double tau = ema == null ? Double.NaN : LrSchedule.tau(config, k, total);
            try (NDManager sm = manager.newSubManager()) {
                Map<String, NDArray> views = loader.next(sm);
                waitNsSinceLog += loader.lastWaitNanos();
                LossOutput out = runner.step(sm, views, new StepContext(k, total, epoch), lr, tau);
                stepsSinceLog++;
                if (readBack) {
                    logStep(out, k, epoch, lr, tau);
                }
            }
        }

        private void logStep(LossOutput out, long k, int epoch, double lr, double tau) {
            Map<String, Object> rec = new LinkedHashMap<>();
            rec.put("step", k);
            rec.put("epoch", epoch);
            rec.put("lr", lr);
            if (ema != null) {
                rec.put("tau", tau);
            }
            rec.putAll(out.schedule());
            double loss = out.total().getFloat();
            rec.put("loss", loss);
            for (Map.Entry<String, NDArray> t : out.terms().entrySet()) {
                rec.put(t.getKey().startsWith("loss") ? t.getKey() : "loss_" + t.getKey(),
                        (double) t.getValue().getFloat());
            }
            for (Map.Entry<String, NDArray> s : out.shift().entrySet()) {
                rec.put("shift_" + s.getKey(), (double) s.getValue().getFloat());
            }
            for (Map.Entry<String, NDArray> s : out.stats().entrySet()) {
                rec.put(s.getKey(), (double) s.getValue().getFloat());
            }
            double std = rec.get("proj_std") instanceof Double d ? d : Double.NaN;
            long now = System.nanoTime();
            double secs = Math.max((now - lastLogNs) / 1e9, 1e-9);
            double imgPerSec = stepsSinceLog * config.batchSize / secs;
            rec.put("img_per_s", imgPerSec);
            rec.put("wait_ms", waitNsSinceLog / 1e6 / Math.max(1, stepsSinceLog));
            log.write("step", rec);
            lastLogNs = now;
            stepsSinceLog = 0;
            waitNsSinceLog = 0;
            if (!Double.isFinite(loss)) {
                progress.finish();
                throw new TrainingDivergedException("loss is " + loss + " at step " + k + " (epoch " + (epoch + 1)
                        + "); training stopped. The last good checkpoint is kept in " + store.dir()
                        + " (lower the learning rate, or check the data)", k);
            }
            if (std < config.collapseStd && collapseWarnedEpoch != epoch) {
                collapseWarnedEpoch = epoch;
                progress.message(String.format(java.util.Locale.ROOT,
                        "warning: possible collapse at step %d: std of normalised projections %.5f < collapse-std %s",
                        k, std, config.collapseStd));
            }
            double perStep = (now - startNs) / 1e9 / Math.max(1, stepsThisRun + 1);
            progress.update(k, epoch, config.epochs, loss, imgPerSec, perStep * (total - k));
        }

        private void save(TrainState state, int epochCopy) throws IOException {
            Checkpoint.Header h = new Checkpoint.Header(config.toJson(), modelSpecJson, state, config.seed);
            store.save(out -> Checkpoint.write(out, h, model, opt), epochCopy);
        }

        private void runHooks(int epoch, long k) {
            Map<String, Object> rec = new LinkedHashMap<>();
            for (EpochHook h : hooks) {
                Map<String, Double> values = h.onEpochEnd(epoch, k);
                if (values != null) {
                    rec.putAll(values);
                }
            }
            if (!rec.isEmpty()) {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("epoch", epoch);
                line.put("step", k);
                line.putAll(rec);
                log.write("eval", line);
                progress.message("epoch " + (epoch + 1) + " eval: " + rec);
            }
        }

        /** A run killed during the epoch hooks resumes at the epoch boundary: run the hooks it missed. */
        private void rerunMissedHooks(TrainState from) {
            if (from.batch() != 0 || from.epoch() == 0 || hooks.isEmpty()) {
                return;
            }
            int epoch = from.epoch() - 1;
            for (JsonNode n : MetricsLog.read(run.metricsFile())) {
                if ("eval".equals(n.path("type").asText()) && n.path("epoch").asInt(-1) == epoch) {
                    return;
                }
            }
            runHooks(epoch, from.step());
        }
    }
}
