package org.selfsup.job;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.selfsup.augment.BatchAssembler;
import org.selfsup.augment.EpochLoader;
import org.selfsup.augment.ViewPlan;
import org.selfsup.augment.device.DevicePlan;
import org.selfsup.augment.plans.PlanOptions;
import org.selfsup.augment.plans.ViewPlans;
import org.selfsup.config.ConfigKeys;
import org.selfsup.config.TrainConfig;
import org.selfsup.data.ImageStore;
import org.selfsup.dist.Distributed;
import org.selfsup.dist.World;
import org.selfsup.data.DataOptions;
import org.selfsup.data.Dataset;
import org.selfsup.data.Shard;
import org.selfsup.data.DatasetRegistry;
import org.selfsup.eval.KnnMonitor;
import org.selfsup.eval.ProbeMonitor;
import org.selfsup.method.MethodRegistry;
import org.selfsup.method.SslMethod;
import org.selfsup.model.ModelSpec;
import org.selfsup.model.SslModel;
import org.selfsup.optim.Optimizer;
import org.selfsup.optim.Optimizers;
import org.selfsup.train.BatchSource;
import org.selfsup.train.Checkpoint;
import org.selfsup.weights.WeightFiles;
import org.selfsup.weights.WeightImport;
import org.selfsup.train.CheckpointListener;
import org.selfsup.train.CheckpointStore;
import org.selfsup.train.CpuBatchSource;
import org.selfsup.train.DataParallelListener;
import org.selfsup.train.DeviceBatchSource;
import org.selfsup.train.DivergenceListener;
import org.selfsup.train.Ema;
import org.selfsup.train.LrSchedule;
import org.selfsup.train.MemoryCheck;
import org.selfsup.train.MetricsListener;
import org.selfsup.train.MetricsLog;
import org.selfsup.train.ProgressBar;
import org.selfsup.train.ProgressListener;
import org.selfsup.train.RunDir;
import org.selfsup.natives.LibTorch;
import org.selfsup.train.Acceleration;
import org.selfsup.train.Precision;
import org.selfsup.train.StepRunner;
import org.selfsup.train.StepSchedules;
import org.selfsup.train.TorchThreads;
import org.selfsup.train.TrainLoop;
import org.selfsup.train.TrainState;
import org.selfsup.train.TrainableModel;
import org.selfsup.train.TrainingListener;
import org.selfsup.util.UserException;

/**
 * The composition root of a pretraining run: turns a {@link TrainConfig} (and its data set) into the
 * run's objects (view size, view plan, method, model, optimiser, EMA, batch source, step, listeners) and
 * runs the {@link TrainLoop} in the locked run folder {@code runs/NAME/}. Every other place that needs one
 * of these objects for a configuration (benchmarks, the random-init baseline) asks this class, so each is
 * derived once. Re-running with the same configuration and run folder continues from the newest good
 * checkpoint exactly.
 */
public final class Pretraining {
    private final TrainConfig config;
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

    /** This rank's share of every epoch's image order. */
    public Shard shard() {
        return new Shard(world.rank(), world.size());
    }

    /** Images per step on this rank: the global {@code batch-size} split evenly over the ranks. */
    public int localBatch() {
        if (config.batchSize % world.size() != 0) {
            throw new UserException("batch-size: " + config.batchSize + " does not split evenly over the "
                    + world.size() + " ranks (the global batch is divided among them)");
        }
        return config.batchSize / world.size();
    }

    /** The configuration. */
    public TrainConfig config() {
        return config;
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

    /** The view plan options the configuration asks for. */
    public static PlanOptions planOptions(TrainConfig c) {
        return PlanOptions.defaults().withRandAugment(c.randaugN, c.randaugM).withHard(c.hardN, c.hardM)
                .withGrid(c.grid).withRelativeMagnitudes(c.relativeMagnitudes).withCropScale(c.cropScaleMin, c.cropScaleMax);
    }

    /** The (CPU) view plan of the run. */
    public ViewPlan viewPlan() {
        return ViewPlans.create(config.effectivePlan(), viewSize(), planOptions(config));
    }

    /** The device plan of the run ({@code augment-on: device}), or null on the CPU path. */
    public DevicePlan devicePlan() {
        return onDevice() ? DeviceBatchSource.plan(config.effectivePlan(), viewSize(), planOptions(config)) : null;
    }

    private boolean onDevice() {
        return "device".equals(config.augmentOn);
    }

    /** The method (the loss). */
    public static SslMethod method(TrainConfig c) {
        return MethodRegistry.create(c.method, c.methodOptions());
    }

    /** The model spec the configuration asks for. */
    public static ModelSpec modelSpec(TrainConfig c) {
        return MethodRegistry.modelSpec(c.method, c.backbone(), c.zeroInitResidual);
    }

    /** The run's model, freshly initialised from the seed, on {@code manager}'s device. */
    public static SslModel createModel(TrainConfig c, SslMethod method, NDManager manager, int viewSize) {
        ModelSpec spec = modelSpec(c);
        return SslModel.create(spec, method.usesTarget(), spec.predictor() != null, manager, viewSize, c.seed);
    }

    /**
     * The run's model at its random initialisation, without predictor and target (for the random-init
     * baseline): the same initial weights as the trained model's (initialisation is seeded per parameter).
     */
    public SslModel createInitialEncoder(NDManager manager) {
        return SslModel.create(modelSpec(config).withoutPredictor(), false, false, manager, viewSize(), config.seed);
    }

    /**
     * The configured optimiser over {@code model}'s trainable parameters; with {@code precision: fp16}
     * behind a loss scaler (whose state is saved with the optimiser's).
     */
    public static Optimizer optimizer(TrainConfig c, TrainableModel model, NDManager manager) {
        Optimizer inner = Optimizers.create(c.optimizer, model.trainableParameters(), manager, c.momentum,
                c.nesterov, c.weightDecay, c.adamBeta2, c.clipGrad);
        return Precision.optimizer(c.precision, inner, model.trainableParameters(), manager);
    }

    /** The target-network EMA of {@code model}, or null without a target. */
    public static Ema ema(TrainableModel model, NDManager manager) {
        return model.emaPairs().isEmpty() ? null : new Ema(model.emaPairs(), manager);
    }

    /** The one training step of the run, at the configured precision ({@code opt} from {@link #optimizer}). */
    public static StepRunner stepRunner(TrainConfig c, SslMethod method, TrainableModel model, Optimizer opt,
                                        Ema ema, NDManager manager) {
        StepRunner runner = new StepRunner(method, model, opt, ema, Ema.Timing.parse(c.emaTiming), manager);
        runner.usePrecision(Precision.of(c.precision, manager.getDevice()).withLossScaling(opt));
        return runner;
    }

    /**
     * The run's batch source: the device path when {@code devicePlan} is given, else CPU assembly by
     * {@code assembler}.
     *
     * @param stageOn manager under which the next batch is prepared ahead on a background thread; null = on
     *                the training thread
     */
    public BatchSource batchSource(SslMethod method, DevicePlan devicePlan, BatchAssembler assembler,
                                   NDManager manager, NDManager stageOn) {
        Dataset ds = dataset();
        if (devicePlan != null) {
            return new DeviceBatchSource(devicePlan, ds.normalization(),
                    ImageStore.inMemory(ds.pretrain(), "--augment-on device"), method.views(), manager,
                    config.seed, localBatch(), config.prefetch, config.epochs, stageOn, shard());
        }
        return new CpuBatchSource(assembler, method.views(), localBatch(), config.prefetch, config.epochs,
                stageOn, shard());
    }

    /** The CPU view assembler of the run (null on the device path, which needs none). */
    public BatchAssembler assembler(ViewPlan plan) {
        if (onDevice()) {
            return null;
        }
        Dataset ds = dataset();
        return new BatchAssembler(ds.pretrain(), plan, ds.normalization(), Math.max(1, config.threads), config.seed);
    }

    /**
     * Steps per epoch: floor(N / B) for one process; over R ranks floor(ceil(N / R) / (B / R)) (each rank's
     * padded shard in batches of B / R). A user error when the batch is larger than the data set.
     */
    public int stepsPerEpoch() {
        Dataset ds = dataset();
        int steps = EpochLoader.batchCount(shard().size(ds.pretrain().size()), localBatch(), true);
        if (steps == 0) {
            throw new UserException("batch-size: " + config.batchSize + " is larger than the data set ("
                    + ds.pretrain().size() + " images in " + ds.pretrain().name() + ")");
        }
        return steps;
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
        return KnnMonitor.forRun(config, dataset());
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
     * Checks, before anything is loaded or written, that the device exists and the precision can run on
     * it (a user error naming the key otherwise).
     */
    public static void checkExecution(TrainConfig c, PrintWriter out) {
        Precision.of(c.precision, device(c.device));
    }

    /**
     * Applies {@code channels-last}, {@code cudnn-benchmark} and {@code tf32} to {@code model} on its
     * device, printing one line per switch that is on.
     */
    public static void accelerate(TrainConfig c, SslModel model, Device device, PrintWriter out) {
        for (String note : Acceleration.apply(c.channelsLast, c.cudnnBenchmark, c.tf32, device,
                model.allParameters())) {
            out.println(note);
        }
        out.flush();
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
        return ProbeMonitor.forRun(config, dataset(), line -> {
            console.println(line);
            console.flush();
        });
    }

    /**
     * The device of this rank: {@link #device(String)}, and for a GPU in a data-parallel job the GPU of
     * its local rank ({@code gpu(localRank mod visible GPUs)}: one GPU per rank, or all ranks of a machine
     * seeing every GPU).
     */
    public Device rankDevice() {
        Device d = device(config.device);
        if (d.isGpu() && world.distributed()) {
            return Device.gpu(world.localRank() % Engine.getInstance().getGpuCount());
        }
        return d;
    }

    /**
     * The device {@code auto|cpu|gpu|gpu:N} names.
     *
     * @throws UserException for {@code gpu}/{@code gpu:N} when the engine has no such GPU, saying why (CPU
     *                       libtorch, or no CUDA runtime found) and pointing at {@code selfsup doctor}
     */
    public static Device device(String name) {
        int gpus = Engine.getInstance().getGpuCount();
        if ("cpu".equals(name)) {
            return Device.cpu();
        } else if ("auto".equals(name)) {
            return gpus > 0 ? Device.gpu() : Device.cpu();
        } else if (name != null && name.matches("gpu(:\\d+)?")) {
            int index = name.equals("gpu") ? 0 : Integer.parseInt(name.substring(4));
            if (gpus == 0) {
                throw new UserException("device: '" + name + "' asked for, but " + LibTorch.get().whyNoGpu());
            }
            if (index >= gpus) {
                throw new UserException("device: '" + name + "' asked for, but the PyTorch engine sees " + gpus
                        + " GPU" + (gpus == 1 ? "" : "s") + " (gpu:0 to gpu:" + (gpus - 1) + ")");
            }
            return Device.gpu(index);
        }
        throw new UserException("device: unknown value '" + name + "' (auto, cpu, gpu, gpu:N)");
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
        localBatch();
        Device device = rankDevice();
        TorchThreads.apply(config.torchThreads, "torch-threads");
        if (world.distributed() && !device.isGpu() && config.torchThreads == 0) {
            shareCpuThreads();
        }
        try (Distributed dist = Distributed.open(world, device, config.distTimeout, System.err)) {
            return run(dist, device);
        }
    }

    /** The ranks of one machine share its cores: PyTorch's intra-op threads = cores / local ranks. */
    private void shareCpuThreads() {
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            Engine.getInstance();
            ai.djl.pytorch.jni.JniUtils.setNumThreads(Math.max(1,
                    Runtime.getRuntime().availableProcessors() / world.localSize()));
        }
    }

    private TrainLoop.Result run(Distributed dist, Device device) {
        int size = viewSize();
        ViewPlan plan = viewPlan();
        SslMethod method = method(config);
        for (String v : method.views()) {
            if (!plan.viewNames().contains(v)) {
                throw new UserException("plan: '" + plan.name() + "' makes views " + plan.viewNames() + " but method '"
                        + config.method + "' needs " + method.views());
            }
        }
        ModelSpec spec = modelSpec(config);
        // before the run folder, the model or a batch exists: an absurd size is one error line, not an
        // allocation failure (or the machine swapping) later
        // per rank: each data-parallel rank holds its share of the global batch on its own device
        MemoryCheck.check(spec, size, localBatch(), method.views().size(), method.usesTarget(), device);
        DevicePlan devicePlan = devicePlan();
        WeightFiles.Selected init = initialWeights(); // read and checked before the run folder is touched
        boolean writer = dist.writer();
        Path root = Path.of(config.runsDir).resolve(config.name);
        RunDir run = writer ? RunDir.open(Path.of(config.runsDir), config.name) : null;
        boolean started = false; // the configuration written: the run folder is in use
        try (run;
             NDManager manager = NDManager.newBaseManager(device);
             SslModel model = createModel(config, method, manager, size);
             BatchAssembler assembler = assembler(plan)) {
            accelerate(config, model, manager.getDevice(), console);
            int steps = stepsPerEpoch();
            long total = (long) config.epochs * steps;
            if (init != null) {
                WeightImport.Report r = WeightImport.apply(init.tensors(), model, config.initStrict,
                        "init-from " + config.initFrom);
                r.warnings().forEach(w -> say("warning: init-from " + config.initFrom + ": " + w));
                say("init-from: " + WeightFiles.count(r.loaded(), "tensor") + " from " + config.initFrom
                        + (r.missingHeads().isEmpty() ? "" : " (heads keep their fresh initialisation)")
                        + " (a resumed run continues from its checkpoint instead)");
            }
            TrainableModel trainable = TrainableModel.of(model);
            dist.requireSame("the configuration", ConfigKeys.trainingChecksum(config.toJson()), manager);
            try (Optimizer opt = optimizer(config, trainable, manager)) {
                CheckpointStore store = writer ? CheckpointStore.forWriting(root.resolve("checkpoints"))
                        : new CheckpointStore(root.resolve("checkpoints"));
                CheckpointListener checkpoints = new CheckpointListener(store, root, config.toJson(),
                        Checkpoint.specJson(spec), config.seed, trainable, opt, config.checkpointSteps,
                        config.checkpointEvery);
                TrainState from = checkpoints.restore(requireCheckpoint, writer ? this::say : line -> {});
                dist.requireSame("the step to start from (all ranks must see the same run folder and checkpoint)",
                        from.step(), manager);
                dist.requireSame("the model's weights at the start", weightsChecksum(trainable), manager);
                if (writer) {
                    run.writeConfig(config.toYaml());
                }
                started = true;
                try (MetricsLog log = writer ? MetricsLog.open(run.metricsFile(), from.step(), this::say) : null;
                     Ema ema = ema(trainable, manager);
                     BatchSource source = batchSource(method, devicePlan, assembler, manager, manager);
                     StepSchedules schedules = StepSchedules.forRun(config, steps, total, ema != null, manager)) {
                    StepRunner runner = stepRunner(config, method, trainable, opt, ema, manager);
                    runner.useDeviceSchedules(schedules);
                    runner.useGradientReducer(dist.reducer(trainable.trainableParameters(),
                            (long) (config.bucketMb * (1 << 20)), manager));
                    List<TrainingListener> listeners = new ArrayList<>();
                    if (writer) {
                        ProgressBar bar = new ProgressBar(console, terminal, total);
                        listeners.addAll(List.of(
                                new MetricsListener(log, config.logEvery, config.batchSize, ema != null),
                                new DivergenceListener(bar, config.collapseStd, root.resolve("checkpoints")),
                                new ProgressListener(bar, config.epochs, total, config.batchSize),
                                checkpoints));
                        KnnMonitor monitor = monitor();
                        if (monitor != null) {
                            listeners.add(monitor.watching(model));
                        }
                        ProbeMonitor probe = probe();
                        if (probe != null) {
                            listeners.add(probe.watching(model));
                        }
                        listeners.addAll(extraListeners);
                    }
                    if (dist.active()) {
                        listeners.add(new DataParallelListener(dist, manager)); // last: waits for rank 0's evaluation
                        if (writer) {
                            say("data parallel: " + dist.ranks() + " ranks over " + dist.engine() + ", "
                                    + localBatch() + " images per rank and step (global batch " + config.batchSize + ")");
                        }
                    }
                    TrainLoop loop = new TrainLoop(source, runner, LrSchedule.rates(config, steps, total, ema != null),
                            manager, config.epochs, steps, listeners);
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
                    if (from.step() >= total && writer) {
                        say("run " + root + " is already complete (" + total + " steps)");
                    }
                    return result;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("training I/O failed in " + root, e);
        } finally {
            if (run != null && !started) {
                run.removeIfUnused(); // a refused start (ranks disagreeing, init-from not fitting) leaves no folder
            }
        }
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
