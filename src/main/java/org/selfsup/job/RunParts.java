package org.selfsup.job;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.selfsup.augment.AugmentOn;
import org.selfsup.augment.BatchAssembler;
import org.selfsup.augment.EpochLoader;
import org.selfsup.augment.ViewPlan;
import org.selfsup.augment.device.DevicePlan;
import org.selfsup.augment.plans.PlanOptions;
import org.selfsup.augment.plans.ViewPlans;
import org.selfsup.config.Choices;
import org.selfsup.config.Choices.EmaTiming;
import org.selfsup.config.TrainConfig;
import org.selfsup.data.Dataset;
import org.selfsup.data.ImageStore;
import org.selfsup.data.Shard;
import org.selfsup.distributed.Distributed;
import org.selfsup.distributed.World;
import org.selfsup.method.SslMethod;
import org.selfsup.model.ModelSpec;
import org.selfsup.model.SslModel;
import org.selfsup.optim.Optimizer;
import org.selfsup.optim.Optimizers;
import org.selfsup.runtime.Acceleration;
import org.selfsup.runtime.Autocast;
import org.selfsup.runtime.Devices;
import org.selfsup.runtime.MemoryCheck;
import org.selfsup.runtime.Precision;
import org.selfsup.runtime.StepPrecision;
import org.selfsup.runtime.TorchThreads;
import org.selfsup.train.BatchSource;
import org.selfsup.train.CpuBatchSource;
import org.selfsup.train.DeviceBatchSource;
import org.selfsup.train.Ema;
import org.selfsup.train.RunSchedule;
import org.selfsup.train.StepRunner;
import org.selfsup.train.TrainLoop;
import org.selfsup.train.TrainableModel;
import org.selfsup.train.TrainingListener;
import org.selfsup.util.UserException;

/**
 * The assembled objects of one training process, built once from a configuration, a data set, the
 * process's place in a data-parallel job and its device: the data-parallel side, the model, the
 * optimiser (already wrapped for the precision), the EMA, the schedule, the batch source and the
 * {@link StepRunner} that steps them. Training ({@link Pretraining}) and the benchmarks all take their
 * objects from here, so each is derived from the configuration in one place; a caller adds what is its
 * own (run folder, checkpoints, listeners, timing) and runs {@link #loop}. Closing it frees everything it
 * made, in reverse order.
 *
 * <p>Opening checks before it allocates anything: the plan makes the views the method reads, and one
 * step fits in the device's memory ({@link MemoryCheck}).
 */
public final class RunParts implements AutoCloseable {
    private final Deque<AutoCloseable> owned = new ArrayDeque<>(); // closed last-made first
    private final TrainConfig config;
    private final Precision precision;
    private final Distributed dist;
    private final SslMethod method;
    private final int viewSize;
    private final int localBatch;
    private final int epochs;
    private final int stepsPerEpoch;
    private final NDManager manager;
    private final NDManager staging;
    private final SslModel model;
    private final TrainableModel trainable;
    private final StepPrecision stepPrecision;
    private final Ema ema;
    private final RunSchedule schedule;
    private final BatchSource source;
    private final StepRunner runner;

    /**
     * @param ds         the data set, or null for steps on views the caller makes (no batch source)
     * @param steps      without a data set: the steps the schedule covers (one epoch)
     * @param stageAhead prepare the next batch's device arrays one step ahead on the source's thread
     */
    private RunParts(TrainConfig config, Dataset ds, World world, Device device, boolean stageAhead, long steps,
                     PrintWriter notices) {
        this.config = config;
        this.precision = precision(config);
        try {
            TorchThreads.apply(config.torchThreads, "torch-threads");
            if (world.distributed() && !device.isGpu() && config.torchThreads == 0) {
                TorchThreads.shareCores(world.localSize()); // the ranks of one machine share its cores
            }
            this.dist = own(Distributed.open(world, device, config.distTimeout, System.err));
            this.localBatch = localBatch(config, world.size());
            this.viewSize = ds != null ? config.viewSize(ds) : config.imageSize;
            this.method = config.methodDefinition().create(config.methodOptions());
            ViewPlan plan = ds != null ? viewPlan(config, viewSize, method) : null;
            ModelSpec spec = modelSpec(config);
            // before the model or a batch exists (and before a run folder is touched): an absurd size is one
            // error line, not an allocation failure (or the machine swapping) later; per rank: each
            // data-parallel rank holds its share of the global batch on its own device
            MemoryCheck.check(spec, viewSize, localBatch, method.views().size(), method.usesTarget(), device);
            boolean onDevice = ds != null && AugmentOn.parse(config.augmentOn) == AugmentOn.DEVICE;
            DevicePlan devicePlan = onDevice
                    ? DeviceBatchSource.plan(config.effectivePlan(), viewSize, planOptions(config)) : null;
            this.epochs = ds != null ? config.epochs : 1;
            this.stepsPerEpoch = ds != null ? stepsPerEpoch(config, ds, world, localBatch) : Math.toIntExact(steps);

            this.manager = own(NDManager.newBaseManager(device));
            this.model = own(SslModel.create(spec, method.usesTarget(), spec.predictor() != null, manager, viewSize,
                    config.seed));
            BatchAssembler assembler = ds != null && !onDevice
                    ? own(new BatchAssembler(ds.pretrain(), plan, ds.normalization(), Math.max(1, config.threads),
                            config.seed))
                    : null;
            for (String note : Acceleration.apply(config.channelsLast, config.cudnnBenchmark, config.tf32, device,
                    model.allParameters())) {
                notices.println(note);
            }
            notices.flush();
            this.trainable = TrainableModel.of(model);
            Optimizer inner = Optimizers.create(config.optimizer, trainable.trainableParameters(), manager,
                    config.momentum, config.nesterov, config.weightDecay, config.adamBeta2, config.clipGrad);
            this.stepPrecision = own(StepPrecision.create(precision, device, inner, trainable.trainableParameters(),
                    manager));
            this.ema = trainable.emaPairs().isEmpty() ? null : own(new Ema(trainable.emaPairs(), manager));
            // staged batches live here until a step takes them (the benchmarks count the run's arrays without them)
            this.staging = stageAhead ? own(manager.newSubManager()) : null;
            this.source = ds == null ? null : own(devicePlan != null
                    ? new DeviceBatchSource(devicePlan, ds.normalization(),
                            ImageStore.inMemory(ds.pretrain(), "--augment-on device"), method.views(), manager,
                            config.seed, localBatch, config.prefetch, config.epochs, staging, shard(world))
                    : new CpuBatchSource(assembler, method.views(), localBatch, config.prefetch, config.epochs,
                            staging, shard(world)));
            long total = totalSteps();
            this.schedule = own(ds != null
                    ? RunSchedule.forRun(config, stepsPerEpoch, total, ema != null, manager)
                    : RunSchedule.constant(config.effectiveLr(), config.emaBase, total, ema != null, manager));
            this.runner = new StepRunner(method, trainable, stepPrecision, ema, Choices.of(EmaTiming.class, config.emaTiming),
                    schedule, dist.reducer(trainable.trainableParameters(), (long) (config.bucketMb * (1 << 20)),
                            manager), manager);
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    /**
     * The parts of a training run on {@code dataset}: its view plan, CPU assembly or device augmentation
     * ({@code augment-on}), the configured schedules over {@code epochs} epochs of this rank's shard. Sets
     * the process's PyTorch threads ({@code torch-threads}; ranks on the CPU share the cores when it is 0)
     * and joins the data-parallel job {@code world} describes.
     *
     * @param device     this rank's device ({@link #device})
     * @param stageAhead prepare the next batch's device arrays one step ahead on the source's thread (false:
     *                   on the training thread, to measure what staging saves)
     * @param notices    receives one line per acceleration switch that is on
     * @throws UserException for a configuration that cannot run (plan without the method's views, a step
     *                       that cannot fit, a batch that does not split over the ranks or exceeds the data)
     */
    public static RunParts open(TrainConfig config, Dataset dataset, World world, Device device, boolean stageAhead,
                                PrintWriter notices) {
        return new RunParts(config, dataset, world, device, stageAhead, 0, notices);
    }

    /**
     * The parts of {@code steps} steps on views the caller makes ({@code selfsup bench step}): no data set
     * and no batch source; views of {@code image-size}, the learning rate and tau constant
     * ({@code lr} scaled, {@code ema-base}).
     */
    public static RunParts openWithoutData(TrainConfig config, World world, Device device, long steps,
                                           PrintWriter notices) {
        return new RunParts(config, null, world, device, false, steps, notices);
    }

    /**
     * The device of this rank: the one {@code device} names ({@link Devices#select}), and for a GPU in a
     * data-parallel job the GPU of its local rank ({@link Devices#ofLocalRank}).
     */
    public static Device device(TrainConfig config, World world) {
        Device d = Devices.select(config.device);
        return world.distributed() ? Devices.ofLocalRank(d, world.localRank()) : d;
    }

    /**
     * Checks, before anything is loaded or written, that the device exists and the precision can run on
     * it (a user error naming the key otherwise).
     */
    public static void checkExecution(TrainConfig config) {
        Autocast.of(precision(config), Devices.select(config.device));
    }

    /**
     * The configuration's {@code precision} as the value the step, the monitors and evaluation take: the
     * one place where the configuration's string becomes a {@link Precision}.
     */
    public static Precision precision(TrainConfig config) {
        return Precision.parse(config.precision);
    }

    /**
     * Images per step on each of {@code ranks} ranks: the global {@code batch-size} split evenly.
     *
     * @throws UserException when it does not split evenly
     */
    public static int localBatch(TrainConfig config, int ranks) {
        if (config.batchSize % ranks != 0) {
            throw new UserException("batch-size: " + config.batchSize + " does not split evenly over the "
                    + ranks + " ranks (the global batch is divided among them)");
        }
        return config.batchSize / ranks;
    }

    /** The model spec the configuration asks for. */
    public static ModelSpec modelSpec(TrainConfig config) {
        return config.methodDefinition().modelSpec(config.backbone(), config.zeroInitResidual);
    }

    /** The view plan options the configuration asks for. */
    static PlanOptions planOptions(TrainConfig c) {
        return PlanOptions.defaults().withRandAugment(c.randaugN, c.randaugM).withHard(c.hardN, c.hardM)
                .withGrid(c.grid).withRelativeMagnitudes(c.relativeMagnitudes)
                .withCropScale(c.cropScaleMin, c.cropScaleMax);
    }

    /**
     * The (CPU) view plan, which must make the views {@code method} reads ({@link ViewPlans#viewMismatch}, as
     * the configuration's validation checks; also for a configuration built without it). The device plan
     * of the same name makes the same views.
     */
    private static ViewPlan viewPlan(TrainConfig config, int viewSize, SslMethod method) {
        String problem = ViewPlans.viewMismatch(config.effectivePlan(), method.name(), method.views());
        if (problem != null) {
            throw new UserException("plan: " + problem);
        }
        return ViewPlans.create(config.effectivePlan(), viewSize, planOptions(config));
    }

    /**
     * Optimiser steps per epoch: the batches, floor(N / B) for one process and over R ranks
     * floor(ceil(N / R) / (B / R)) (each rank's padded shard in batches of B / R), divided by
     * {@code accumulate-steps} (rounded down). A user error when the batch is larger than the data set, or
     * an epoch has fewer batches than one step accumulates.
     */
    private static int stepsPerEpoch(TrainConfig config, Dataset ds, World world, int localBatch) {
        int batches = EpochLoader.batchCount(shard(world).size(ds.pretrain().size()), localBatch, true);
        if (batches == 0) {
            throw new UserException("batch-size: " + config.batchSize + " is larger than the data set ("
                    + ds.pretrain().size() + " images in " + ds.pretrain().name() + ")");
        }
        int accumulate = Math.max(1, config.accumulateSteps);
        if (batches < accumulate) {
            throw new UserException("accumulate-steps: " + accumulate + " batches of " + config.batchSize
                    + " make one optimiser step, but an epoch has only " + batches + " batches ("
                    + ds.pretrain().size() + " images in " + ds.pretrain().name() + ")");
        }
        return batches / accumulate;
    }

    /** This rank's share of every epoch's image order. */
    private static Shard shard(World world) {
        return new Shard(world.rank(), world.size());
    }

    private <T extends AutoCloseable> T own(T resource) {
        owned.push(resource);
        return resource;
    }

    /**
     * A loop over this run's batches and steps, calling {@code listeners} in order.
     *
     * @throws IllegalStateException for parts without a data set
     */
    public TrainLoop loop(List<TrainingListener> listeners) {
        if (source == null) {
            throw new IllegalStateException("parts opened without data have no batches to loop over");
        }
        return new TrainLoop(source, runner, manager, epochs, stepsPerEpoch, Math.max(1, config.accumulateSteps),
                listeners);
    }

    /** The configuration. */
    public TrainConfig config() {
        return config;
    }

    /** The precision of the forward passes. */
    public Precision precision() {
        return precision;
    }

    /** This process's side of the data-parallel job ({@link Distributed#single()} for one process). */
    public Distributed distributed() {
        return dist;
    }

    /** The method (the loss). */
    public SslMethod method() {
        return method;
    }

    /** The side of the training views. */
    public int viewSize() {
        return viewSize;
    }

    /** Images per step on this rank. */
    public int localBatch() {
        return localBatch;
    }

    /** Optimiser steps per epoch (without a data set: all steps, as one epoch). */
    public int stepsPerEpoch() {
        return stepsPerEpoch;
    }

    /** Steps of the whole run. */
    public long totalSteps() {
        return (long) epochs * stepsPerEpoch;
    }

    /** The manager on the device: the model, optimiser state and per-step sub-managers live under it. */
    public NDManager manager() {
        return manager;
    }

    /** The sub-manager holding batches staged ahead, or null when batches are made on the training thread. */
    public NDManager staging() {
        return staging;
    }

    /** The model, freshly initialised from the seed. */
    public SslModel model() {
        return model;
    }

    /** The model's trainable view (parameters, EMA pairs, save and load). */
    public TrainableModel trainable() {
        return trainable;
    }

    /** The optimiser over the trainable parameters (behind the loss scaler with fp16). */
    public Optimizer optimizer() {
        return stepPrecision.optimizer();
    }

    /** The target-network EMA, or null without a target. */
    public Ema ema() {
        return ema;
    }

    /** The learning rate and tau of every step. */
    public RunSchedule schedule() {
        return schedule;
    }

    /** The batches, or null for parts opened without data. */
    public BatchSource source() {
        return source;
    }

    /** The training step. */
    public StepRunner runner() {
        return runner;
    }

    /** Frees everything this made, last-made first (batch source before assembler, all before the manager). */
    @Override
    public void close() {
        RuntimeException failure = null;
        while (!owned.isEmpty()) {
            try {
                owned.pop().close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e instanceof RuntimeException r ? r : new IllegalStateException(e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
