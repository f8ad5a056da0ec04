package org.selfsup.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.selfsup.augment.BatchAssembler;
import org.selfsup.augment.ViewPlan;
import org.selfsup.augment.device.DevicePlan;
import org.selfsup.augment.plans.PlanOptions;
import org.selfsup.augment.plans.ViewPlans;
import org.selfsup.config.TrainConfig;
import org.selfsup.data.DataOptions;
import org.selfsup.data.Dataset;
import org.selfsup.data.DatasetRegistry;
import org.selfsup.method.MethodOptions;
import org.selfsup.method.MethodRegistry;
import org.selfsup.method.Networks;
import org.selfsup.method.SslMethod;
import org.selfsup.model.ModelSpec;
import org.selfsup.model.SslModel;
import org.selfsup.util.UserException;

/**
 * Pretrains (or continues) the run a {@link TrainConfig} describes: loads the data set, builds the view
 * plan, method and model, opens and locks {@code runs/NAME/}, and runs the {@link TrainLoop}. Re-running
 * with the same configuration and run folder continues from {@code last.ckpt} exactly.
 */
public final class Trainer {
    private final TrainConfig config;
    private final PrintWriter console;
    private final List<EpochListener> listeners = new ArrayList<>();
    private Dataset dataset;
    private long stopAfterSteps = Long.MAX_VALUE;
    private boolean terminal;
    private boolean requireCheckpoint;

    /**
     * @param config  the validated effective configuration ({@code name} must be set)
     * @param console progress bar and messages
     */
    public Trainer(TrainConfig config, PrintWriter console) {
        this.config = config;
        this.console = console;
    }

    /** Adds a listener called after every epoch's checkpoint. */
    public Trainer addListener(EpochListener listener) {
        listeners.add(listener);
        return this;
    }

    /** Uses an already loaded data set instead of {@code DatasetRegistry.load} (tests, embedding). */
    public Trainer withDataset(Dataset ds) {
        this.dataset = ds;
        return this;
    }

    /** Stops after this many steps without a final checkpoint, as a kill would; for tests. */
    public Trainer stopAfterSteps(long steps) {
        this.stopAfterSteps = steps;
        return this;
    }

    /** Draws a redrawn progress bar (interactive terminal) instead of plain lines. */
    public Trainer terminal(boolean terminal) {
        this.terminal = terminal;
        return this;
    }

    /** With {@code --resume}: fail clearly when the run folder holds no checkpoint. */
    public Trainer requireCheckpoint(boolean require) {
        this.requireCheckpoint = require;
        return this;
    }

    /** The model spec the configuration asks for. */
    public static ModelSpec modelSpec(TrainConfig c) {
        return ModelSpec.forMethod(c.method, c.arch, c.width, c.blocks, c.zeroInitResidual);
    }

    /** The view plan options the configuration asks for. */
    public static PlanOptions planOptions(TrainConfig c) {
        return PlanOptions.defaults().withRandAugment(c.randaugN, c.randaugM).withHard(c.hardN, c.hardM)
                .withGrid(c.grid).withRelativeMagnitudes(c.relativeMagnitudes).withCropScale(c.cropScaleMin, c.cropScaleMax);
    }

    /** The view side: {@code image-size}, or the data set's default when 0. */
    public static int viewSize(TrainConfig c, Dataset ds) {
        return c.imageSize > 0 ? c.imageSize : ds.viewSize();
    }

    /** The device {@code auto|cpu|gpu} names. */
    public static Device device(String name) {
        int gpus = Engine.getInstance().getGpuCount();
        return switch (name) {
            case "cpu" -> Device.cpu();
            case "gpu" -> {
                if (gpus == 0) {
                    throw new UserException("device: 'gpu' asked for but no GPU is usable by the PyTorch engine");
                }
                yield Device.gpu();
            }
            case "auto" -> gpus > 0 ? Device.gpu() : Device.cpu();
            default -> throw new UserException("device: unknown value '" + name + "' (auto, cpu, gpu)");
        };
    }

    /** Trains to the end (or resumes and finishes). */
    public TrainLoop.Result run() {
        if (config.name == null || config.name.isBlank()) {
            throw new UserException("name: a run name is required");
        }
        Dataset ds = dataset != null ? dataset : DatasetRegistry.load(config.dataset, config.dataDirPath(),
                new DataOptions());
        int size = viewSize(config, ds);
        ViewPlan plan = ViewPlans.create(config.effectivePlan(), size, planOptions(config));
        SslMethod method = MethodRegistry.create(config.method, new MethodOptions(config.beta, config.softLossRate));
        for (String v : method.views()) {
            if (!plan.viewNames().contains(v)) {
                throw new UserException("plan: '" + plan.name() + "' makes views " + plan.viewNames() + " but method '"
                        + config.method + "' needs " + method.views());
            }
        }
        ModelSpec spec = modelSpec(config);
        DevicePlan devicePlan = "device".equals(config.augmentOn)
                ? DeviceBatchSource.plan(plan.name(), size, planOptions(config)) : null;
        try (RunDir run = RunDir.open(Path.of(config.runsDir), config.name);
             NDManager manager = NDManager.newBaseManager(device(config.device));
             SslModel model = SslModel.create(spec, method.usesTarget(), spec.predictor() != null, manager, size,
                     config.seed);
             BatchAssembler assembler = new BatchAssembler(ds.pretrain(), plan, ds.normalization(),
                     Math.max(1, config.threads), config.seed)) {
            TrainLoop loop = new TrainLoop(config, method, adapt(model), assembler, manager, run, toJson(spec),
                    console);
            for (EpochListener l : listeners) {
                loop.addHook((epoch, step) -> l.onEpochEnd(epoch, step, model));
            }
            if (devicePlan != null) {
                loop.setDeviceAugmentation(devicePlan, ds.normalization());
            }
            loop.stopAfterSteps(stopAfterSteps);
            loop.setTerminal(terminal);
            loop.setRequireCheckpoint(requireCheckpoint);
            return loop.run();
        }
    }

    /** The loop's view of an {@link SslModel}. */
    public static TrainableModel adapt(SslModel model) {
        return new TrainableModel() {
            @Override
            public Networks networks(ParameterStore ps) {
                return model.networks(ps);
            }

            @Override
            public List<Parameter> trainableParameters() {
                return model.trainableParameters();
            }

            @Override
            public List<NDArray[]> emaPairs() {
                return model.emaPairs();
            }

            @Override
            public void save(DataOutputStream out) {
                model.save(out);
            }

            @Override
            public void load(DataInputStream in) {
                model.load(in);
            }
        };
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    static String toJson(ModelSpec spec) {
        try {
            return JSON.writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("model spec is not serialisable", e);
        }
    }

    static ModelSpec specFromJson(String json) {
        try {
            return JSON.readValue(json, ModelSpec.class);
        } catch (JsonProcessingException e) {
            throw new UserException("checkpoint: unreadable model spec (" + e.getOriginalMessage() + ")");
        }
    }
}
