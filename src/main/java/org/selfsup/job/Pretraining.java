package org.selfsup.job;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.selfsup.augment.PreviewGrid;
import org.selfsup.augment.ViewPlan;
import org.selfsup.augment.plans.ViewPlans;
import org.selfsup.config.ConfigKeys;
import org.selfsup.config.TrainConfig;
import org.selfsup.data.Dataset;
import org.selfsup.data.ImageSet;
import org.selfsup.data.Shard;
import org.selfsup.data.readers.DatasetRegistry;
import org.selfsup.distributed.Distributed;
import org.selfsup.distributed.World;
import org.selfsup.eval.BatchLabels;
import org.selfsup.eval.EmbeddingMap;
import org.selfsup.eval.KnnMonitor;
import org.selfsup.eval.OnlineMonitor;
import org.selfsup.eval.ProbeMonitor;
import org.selfsup.model.SslModel;
import org.selfsup.runtime.Precision;
import org.selfsup.tensorboard.TensorBoardLog;
import org.selfsup.train.CheckpointListener;
import org.selfsup.train.DataParallelListener;
import org.selfsup.train.DivergenceListener;
import org.selfsup.train.HealthListener;
import org.selfsup.train.MetricsListener;
import org.selfsup.train.ProgressBar;
import org.selfsup.train.ProgressListener;
import org.selfsup.train.TrainLoop;
import org.selfsup.train.TrainableModel;
import org.selfsup.train.TrainingListener;
import org.selfsup.train.checkpoint.Checkpoint;
import org.selfsup.train.checkpoint.CheckpointStore;
import org.selfsup.train.checkpoint.MetricsLog;
import org.selfsup.train.checkpoint.RunDir;
import org.selfsup.train.checkpoint.TrainState;
import org.selfsup.util.UserException;
import org.selfsup.weights.WeightFiles;
import org.selfsup.weights.WeightImport;

/**
 * A pretraining run: assembles the run's objects ({@link RunParts}), adds its listeners (metrics,
 * divergence and collapse checks, progress, checkpoints, kNN monitor, linear probe) and runs the
 * {@link TrainLoop} in the locked run folder {@code runs/NAME/}. Re-running with the same configuration
 * and run folder continues from the newest good checkpoint exactly.
 */
public final class Pretraining {
    private final TrainConfig config;
    private final Precision precision;
    private final PrintWriter console;
    private final List<TrainingListener> extraListeners = new ArrayList<>();
    private Dataset dataset;
    private long stopAfterSteps = Long.MAX_VALUE;
    private boolean terminal;
    private boolean requireCheckpoint;
    private World world = World.detect();

    /**
     * @param config  the validated effective configuration ({@code name} must be set to {@link #run})
     * @param console progress bar and messages
     */
    public Pretraining(TrainConfig config, PrintWriter console) {
        this.config = config;
        this.precision = RunParts.precision(config);
        this.console = console;
    }

    /** Adds a listener, called after the run's own ones (metrics, checks, progress, checkpoints, kNN). */
    public Pretraining addListener(TrainingListener listener) {
        extraListeners.add(listener);
        return this;
    }

    /** Uses an already loaded data set instead of {@code DatasetRegistry.load} (tests, embedding). */
    public Pretraining withDataset(Dataset ds) {
        this.dataset = ds;
        return this;
    }

    /** Stops after this many steps without a final checkpoint, as a kill would; for tests. */
    public Pretraining stopAfterSteps(long steps) {
        this.stopAfterSteps = steps;
        return this;
    }

    /** Draws a redrawn progress bar (interactive terminal) instead of plain lines. */
    public Pretraining terminal(boolean terminal) {
        this.terminal = terminal;
        return this;
    }

    /** With {@code --resume}: fail clearly when the run folder holds no checkpoint. */
    public Pretraining requireCheckpoint(boolean require) {
        this.requireCheckpoint = require;
        return this;
    }

    /**
     * Runs as {@code w}'s rank instead of the one the environment describes (mpirun, srun,
     * {@code selfsup launch}); for tests.
     */
    public Pretraining world(World w) {
        this.world = w;
        return this;
    }

    /** This process's place in a data-parallel job ({@link World#SINGLE} for one process). */
    public World world() {
        return world;
    }

    /** The configuration. */
    public TrainConfig config() {
        return config;
    }

    /** The precision of the forward passes: the step's, the monitors' and the probe's. */
    public Precision precision() {
        return precision;
    }

    /** The data set: the one given, else loaded (once) as the configuration says. */
    public Dataset dataset() {
        if (dataset == null) {
            dataset = DatasetRegistry.load(config.dataset, config.dataDirPath(), config.dataOptions());
        }
        return dataset;
    }

    /** The side of the training views. */
    public int viewSize() {
        return config.viewSize(dataset());
    }

    /**
     * The run's model at its random initialisation, without predictor and target (for the random-init
     * baseline): the same initial weights as the trained model's (initialisation is seeded per parameter).
     */
    public SslModel createInitialEncoder(NDManager manager) {
        return SslModel.create(RunParts.modelSpec(config).withoutPredictor(), false, false, manager, viewSize(),
                config.seed);
    }

    /**
     * The kNN monitor of the run ({@code knn-every} > 0), not yet watching a model; null when off, or when
     * the data set has nothing to evaluate on (no test split, unlabelled images).
     *
     * @throws UserException when evaluation is asked for but the test split exists and has no usable image
     */
    public KnnMonitor monitor() {
        if (config.knnEvery <= 0 || !evaluable("knn-every " + config.knnEvery, "kNN monitor", "--knn-every 0")) {
            return null;
        }
        return KnnMonitor.forRun(config, dataset(), precision);
    }

    /**
     * The linear probe after pretraining ({@code probe}), not yet watching a model; null when off, or when
     * the data set has nothing to evaluate on (no test split, unlabelled images).
     *
     * @throws UserException when a probe is asked for but the test split exists and has no usable image
     */
    public ProbeMonitor probe() {
        if (config.probe != null && !config.probe.isEmpty()
                && !evaluable("probe " + config.probe, "linear probe", "--probe ''")) {
            return null;
        }
        return ProbeMonitor.forRun(config, dataset(), precision, line -> {
            console.println(line);
            console.flush();
        });
    }

    /**
     * Whether the data set has a usable test split: false when it has none (pretraining only, e.g. a
     * train-only or unlabelled folder).
     *
     * @throws UserException naming {@code asked} when the test split exists but has no usable image
     */
    private boolean evaluable(String asked, String what, String off) {
        Dataset ds = dataset();
        if (ds.whyNoEvaluation() == null) {
            return true;
        }
        if (ds.evaluationAbsent()) {
            return false;
        }
        throw new UserException(asked + ": no " + what + " possible, " + ds.name() + " " + ds.whyNoEvaluation()
                + " (fix the split, or set " + off + " to pretrain only)");
    }

    /**
     * Trains to the end (or resumes and finishes), with the kNN monitor when {@code knn-every} > 0. In a
     * data-parallel job (see {@link World}) this process is one rank: it trains on its shard with the
     * per-rank batch, gradients are averaged over the ranks each step, and only rank 0 writes the run
     * folder (metrics, checkpoints, evaluations, progress); every rank resumes from the same checkpoint.
     */
    public TrainLoop.Result run() {
        if (config.name == null || config.name.isBlank()) {
            throw new UserException("name: a run name is required");
        }
        RunParts.localBatch(config, world.size());
        try (RunParts parts = RunParts.open(config, dataset(), world, RunParts.device(config, world), true,
                console)) {
            return run(parts);
        } catch (IOException e) {
            throw new UncheckedIOException("training I/O failed in " + config.runDirPath(), e);
        }
    }

    /**
     * Restores the newest checkpoint into {@code parts} (else applies {@code init-from}) and runs their loop
     * with the run's listeners, in the locked run folder (rank 0 only).
     */
    private TrainLoop.Result run(RunParts parts) throws IOException {
        Distributed dist = parts.distributed();
        NDManager manager = parts.manager();
        WeightFiles.Selected init = initialWeights(); // read and checked before the run folder is touched
        boolean writer = dist.writer();
        Path root = config.runDirPath();
        RunDir run = writer ? RunDir.open(Path.of(config.runsDir), config.name) : null;
        boolean started = false; // the configuration written: the run folder is in use
        try (run) {
            if (init != null) {
                applyInitialWeights(init, parts.model());
            }
            dist.requireSame("the configuration", ConfigKeys.trainingChecksum(config.toJson()), manager);
            CheckpointStore store = writer ? CheckpointStore.forWriting(root.resolve("checkpoints"))
                    : new CheckpointStore(root.resolve("checkpoints"));
            CheckpointListener checkpoints = new CheckpointListener(store, root, config.toJson(),
                    Checkpoint.specJson(RunParts.modelSpec(config)), config.seed, parts.trainable(),
                    parts.optimizer(), config.checkpointSteps, config.checkpointEvery);
            TrainState from = checkpoints.restore(requireCheckpoint, writer ? this::say : line -> {});
            dist.requireSame("the step to start from (all ranks must see the same run folder and checkpoint)",
                    from.step(), manager);
            dist.requireSame("the model's weights at the start", weightsChecksum(parts.trainable()), manager);
            if (writer) {
                run.writeConfig(config.toYaml());
            }
            started = true;
            OnlineMonitor online = writer ? onlineMonitor(parts) : null;
            if (online != null) {
                online.restore(from, this::say);
            }
            try (MetricsLog log = writer ? MetricsLog.open(run.metricsFile(), from.step(), this::say) : null;
                 TensorBoardLog board = writer ? tensorBoard(from) : null) {
                if (board != null) {
                    log.alsoTo(board::record);
                }
                TrainLoop loop = parts.loop(listeners(parts, log, checkpoints, online));
                loop.stopAfterSteps(stopAfterSteps);
                // completion means every evaluation written: a kill after an epoch's checkpoint but
                // before its evaluation line (the final epoch's too) re-runs that evaluation first
                // (rank 0 decides from its metrics; the other ranks follow it)
                boolean missedEval = writer && from.batch() == 0 && from.epoch() > 0
                        && !MetricsLog.hasEval(run.metricsFile(), from.epoch() - 1);
                if (dist.any(missedEval, manager)) {
                    loop.evaluate(from.epoch() - 1, from.step());
                }
                TrainLoop.Result result = loop.run(from);
                if (from.step() >= parts.totalSteps() && writer) {
                    say("run " + root + " is already complete (" + parts.totalSteps() + " steps)");
                }
                return result;
            }
        } finally {
            if (run != null && !started) {
                run.removeIfUnused(); // a refused start (ranks disagreeing, init-from not fitting) leaves no folder
            }
        }
    }

    /**
     * The run's listeners, in calling order: on rank 0 the online probe and RankMe, metrics, divergence and
     * collapse, progress,
     * checkpoints, kNN monitor, linear probe and the added ones; in a data-parallel job, last, the ranks'
     * meeting (it waits for rank 0's evaluation).
     *
     * @param log the metrics log (null on ranks other than 0)
     */
    private List<TrainingListener> listeners(RunParts parts, MetricsLog log, CheckpointListener checkpoints,
                                             OnlineMonitor online) {
        Distributed dist = parts.distributed();
        long total = parts.totalSteps();
        List<TrainingListener> listeners = new ArrayList<>();
        if (dist.writer()) {
            if (online != null) {
                listeners.add(online); // first: it adds the online probe's values to the step's metrics line
            }
            listeners.add(new HealthListener(parts.manager().getDevice().isGpu(), total)); // so does this one
            ProgressBar bar = new ProgressBar(console, terminal, total);
            listeners.addAll(List.of(
                    new MetricsListener(log, config.logEvery, Math.toIntExact(config.effectiveBatch()),
                            parts.ema() != null),
                    new DivergenceListener(bar, config.collapseStd, config.runDirPath().resolve("checkpoints")),
                    new ProgressListener(bar, config.epochs, total, Math.toIntExact(config.effectiveBatch())),
                    checkpoints));
            KnnMonitor monitor = monitor();
            if (monitor != null) {
                listeners.add(monitor.watching(parts.model()));
            }
            if (online != null) {
                listeners.add(online.evaluations()); // RankMe, the probe's test accuracy, the map: after kNN
            }
            ProbeMonitor probe = probe();
            if (probe != null) {
                listeners.add(probe.watching(parts.model()));
            }
            listeners.addAll(extraListeners);
        }
        if (dist.active()) {
            listeners.add(new DataParallelListener(dist, parts.manager()));
            if (dist.writer()) {
                say("data parallel: " + dist.ranks() + " ranks over " + dist.engine() + ", " + parts.localBatch()
                        + " images per rank and step (global batch " + config.batchSize + ")");
            }
        }
        return listeners;
    }

    /**
     * The online probe, RankMe and embedding map of the run ({@link OnlineMonitor}), or null when there is
     * none of them: RankMe needs the kNN monitor's points and a labelled test split, the map
     * ({@code embedding-map}) the test split, the probe ({@code online-probe}) labelled pretraining images
     * (said once when it is asked for and they have none).
     */
    private OnlineMonitor onlineMonitor(RunParts parts) {
        Dataset ds = dataset();
        boolean evaluates = ds.whyNoEvaluation() == null && (config.knnEvery > 0 || config.embeddingMap);
        BatchLabels labels = null;
        if (config.onlineProbe) {
            if (BatchLabels.any(ds.pretrain())) {
                labels = new BatchLabels(ds.pretrain(), config.seed, new Shard(world.rank(), world.size()),
                        parts.localBatch());
            } else {
                say("online probe off: " + ds.pretrain().name() + " has no labelled images");
            }
        }
        if (labels == null && !evaluates) {
            return null;
        }
        return new OnlineMonitor(parts.model(), precision, evaluates ? ds.test() : null,
                evaluates ? KnnMonitor.transform(config, ds) : null, config.knnEvery, config.epochs,
                labels, config.runDirPath().resolve("checkpoints"), config.checkpointSteps,
                config.embeddingMap ? config.runDirPath().resolve(EmbeddingMap.FILE) : null, config.seed, this::say);
    }

    /**
     * The run's TensorBoard log ({@code tensorboard}), cut back to {@code from}; a fresh run's starts with the
     * configuration (text) and the augmentation preview (image) at step 0. Null when off, or (said once) when
     * it cannot be opened: the run goes on without it.
     */
    private TensorBoardLog tensorBoard(TrainState from) {
        if (!config.tensorboard) {
            return null;
        }
        Path dir = config.runDirPath().resolve(TensorBoardLog.FOLDER);
        TensorBoardLog board;
        try {
            board = TensorBoardLog.open(dir, from.step(), this::say);
        } catch (IOException | RuntimeException e) {
            say("warning: no TensorBoard log: cannot open " + dir + ": " + e.getMessage() + " (training goes on)");
            return null;
        }
        if (from.step() == 0) {
            board.text("config", 0, "```\n" + config.toYaml() + "\n```");
            try {
                ImageSet images = dataset().pretrain();
                ViewPlan plan = ViewPlans.create(config.effectivePlan(), viewSize(), RunParts.planOptions(config));
                int scale = Math.max(1, Math.min(4, 96 / Math.max(1, viewSize())));
                board.image("augmentations", 0, PreviewGrid.render(images, plan,
                        PreviewGrid.spread(images.size(), 8), config.seed, scale));
            } catch (RuntimeException e) {
                say("warning: TensorBoard log: no augmentation preview (" + e.getMessage() + ")");
            }
        }
        return board;
    }

    /** Loads {@code init-from}'s tensors into the fresh model (a resumed run then loads its checkpoint). */
    private void applyInitialWeights(WeightFiles.Selected init, SslModel model) {
        WeightImport.Report r = WeightImport.apply(init.tensors(), model, config.initStrict,
                "init-from " + config.initFrom);
        r.warnings().forEach(w -> say("warning: init-from " + config.initFrom + ": " + w));
        say("init-from: " + r.loaded() + " tensors from " + config.initFrom
                + (r.missingHeads().isEmpty() ? "" : " (heads keep their fresh initialisation)")
                + " (a resumed run continues from its checkpoint instead)");
    }

    /** The {@code init-from} state dict, or null without one. */
    private WeightFiles.Selected initialWeights() {
        if (config.initFrom == null || config.initFrom.isBlank()) {
            return null;
        }
        try {
            WeightFiles.Selected s = WeightFiles.select(WeightFiles.read(Path.of(config.initFrom)),
                    config.initKeyPrefix == null || config.initKeyPrefix.isEmpty() ? null : config.initKeyPrefix);
            if (s.note() != null) {
                say("init-from: " + s.note());
            }
            return s;
        } catch (UserException e) {
            throw new UserException("init-from: " + e.getMessage(), e);
        }
    }

    /** A checksum of every parameter and BatchNorm statistic (their saved bytes). */
    private static long weightsChecksum(TrainableModel model) throws IOException {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(new java.util.zip.CheckedOutputStream(
                java.io.OutputStream.nullOutputStream(), crc))) {
            model.save(out);
        }
        return crc.getValue();
    }

    private void say(String line) {
        console.println(line);
        console.flush();
    }
}
