package org.selfsup.config;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.selfsup.data.Dataset;
import org.selfsup.data.readers.DatasetRegistry;
import org.selfsup.method.MethodDefinition;
import org.selfsup.method.MethodOptions;
import org.selfsup.method.MethodRegistry;
import org.selfsup.util.UserException;

/**
 * Everything that defines one pretraining run: data, model, method, optimisation, augmentation and
 * bookkeeping.
 *
 * <p>A plain mutable object with public fields. In YAML/JSON files and as command-line flags every
 * field is spelled in kebab-case ({@code batchSize} is {@code batch-size} / {@code --batch-size}). The
 * field initialisers are the base layer under every preset; the effective configuration of a run is
 * built as preset, then config file, then flags (see {@link ConfigResolver}) and saved with the run.
 *
 * <p>Fields added beyond the cross-helper contract: {@code crop-scale-min}, {@code crop-scale-max}
 * (RandomResizedCrop area range of the standard/weak views) and {@code checkpoint-steps} (mid-epoch
 * checkpoints, needed for exact resume after a kill).
 */
@JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
public final class TrainConfig {
    // ---- run bookkeeping ----
    @JsonPropertyDescription("Run name: the run folder is <runs-dir>/<name>. Empty: the config file's name "
            + "without extension, else the preset name.")
    @RunSetting
    public String name = "";

    @JsonPropertyDescription("Folder holding the run folders.")
    @RunSetting
    public String runsDir = "runs";

    @JsonPropertyDescription("Preset the configuration started from (see --list-presets).")
    @RunSetting
    public String preset = "";

    // ---- method ----
    @JsonPropertyDescription("Self-supervised method: %s.")
    public String method = "rsa";

    @JsonPropertyDescription("Heavy-augmentation strategy applied to a base method: %s. none: the method on its own "
            + "views; symmetric: its loss also on each standard-heavy pair; rsa: RSA's weak/aggressive views and "
            + "decaying aggressive-pair weight; dssl: heavy views pulled one way to their standard views "
            + "(docs/methods.md section 8). rsa, dssl-simsiam, dssl-byol, heavy-symmetric(-byol) are the papers' "
            + "combinations under their own names.")
    public String heavy = "none";

    @JsonPropertyDescription("View plan: %s. Empty: the method's default plan.")
    public String plan = "";

    // ---- data ----
    @JsonPropertyDescription("Data set: %s.")
    public String dataset = "fashion-mnist";

    @JsonPropertyDescription("Data set folder. Empty: the data set's default location (embedded data for "
            + "fashion-mnist).")
    @RunSetting
    public String dataDir = "";

    @JsonPropertyDescription("View size in pixels. 0: the data set's default view size.")
    public int imageSize = 0;

    @JsonPropertyDescription("Image folders, list files and shards: an unreadable image is skipped with one "
            + "warning (its samples use the next readable image) or fails the run naming the file: %s.")
    public String onBadImage = "skip";

    @JsonPropertyDescription("Image folders' labels: %s (folders: one sub-folder per class; none: every image "
            + "below the folder is an unlabelled pretraining sample, no kNN monitor).")
    public String labels = "folders";

    @JsonPropertyDescription("Image folders, list files and shards: cap every picture's longer side at N pixels "
            + "(aspect kept, never cropped, bicubic; FFCV's max_resolution) once, in a store under cache-dir that "
            + "later epochs and runs read instead of the originals; for slow disks. A departure from the papers' "
            + "pipeline: crops come from the downsampled picture. 0: off, else 16..16384.")
    public int preresizeMaxSide = 0;

    @JsonPropertyDescription("Cache folder of the folder indexes, pre-resized stores and downloads. Empty: "
            + "$XDG_CACHE_HOME/selfsup, else ~/.cache/selfsup.")
    @RunSetting
    public String cacheDir = "";

    @JsonPropertyDescription("Smallest area fraction of RandomResizedCrop in the standard/weak views.")
    public double cropScaleMin = 0.2;

    @JsonPropertyDescription("Largest area fraction of RandomResizedCrop in the standard/weak views.")
    public double cropScaleMax = 1.0;

    // ---- model ----
    @JsonPropertyDescription("Backbone: %s (small: a ResNet of free width and depth; vit-tiny, vit-small, vit-base: "
            + "Vision Transformers of widths 192/384/768, depth 12, 3/6/12 heads; vit: free width, depth and heads).")
    public String arch = "resnet18-cifar";

    @JsonPropertyDescription("Width of the small backbone (channels of the first stage) or of the vit backbone (the "
            + "embedding width); ignored by other archs.")
    public int width = 16;

    @JsonPropertyDescription("Residual blocks per stage of the small backbone, e.g. 1,1,1,1; for the vit backbone one "
            + "number, its depth; ignored by other archs.")
    public List<Integer> blocks = new ArrayList<>(List.of(1, 1, 1, 1));

    @JsonPropertyDescription("Zero-initialise the last BatchNorm gamma of every residual block (ResNets).")
    public boolean zeroInitResidual = true;

    @JsonPropertyDescription("ViT patch side in pixels: 16 for 224 px images, 4 or 8 for 32-96 px ones; the view size "
            + "must be a multiple of it. ResNets ignore it.")
    public int patchSize = 16;

    @JsonPropertyDescription("Attention heads of a ViT backbone (0: the arch's: width / 64, at least 1, for vit; 3, 6 and "
            + "12 for vit-tiny, vit-small and vit-base; MoCo v3's ViT-S has 12). ResNets refuse other values.")
    public int attentionHeads = 0;

    @JsonPropertyDescription("ViT feature that the method's heads, the kNN monitor and the probes see: %s (cls: the "
            + "class token; mean: the mean of the patch tokens), both after the final LayerNorm. ResNets ignore it.")
    public String pooling = "cls";

    @JsonPropertyDescription("ViT: MoCo v3's frozen random patch projection (the patch embedding keeps its random "
            + "initialisation and is never trained). ResNets ignore it.")
    public boolean frozenPatchEmbed = false;

    @JsonPropertyDescription("ViT initialisation: %s (timm: trunc-normal 0.02 linears and position embeddings, PyTorch's "
            + "default for the patch convolution; mocov3: MoCo v3's vits.py, xavier-uniform linears with qkv as three "
            + "DxD matrices, xavier-uniform patch projection over its flattened 3*p*p inputs, zero biases). ResNets "
            + "ignore it.")
    public String vitInit = "timm";

    @JsonPropertyDescription("ViT position embeddings: %s (learned: trained; sincos: MoCo v3's fixed 2-D sin-cos "
            + "table, never trained; needs a width divisible by 4). ResNets ignore it.")
    public String posEmbed = "learned";

    @JsonPropertyDescription("Start from torchvision-named weights instead of the random initialisation: a "
            + "safetensors file or a PyTorch .pth/.pt (see 'selfsup import'); the backbone, and the projector/"
            + "predictor when the file has them (projector./predictor.); empty = none.")
    public String initFrom = "";

    @JsonPropertyDescription("init-from: the state dict's key prefix, e.g. module.encoder_q. (empty = detected).")
    public String initKeyPrefix = "";

    @JsonPropertyDescription("init-from: also require the heads (false: heads missing from the file, and tensors "
            + "a ResNet does not have, are skipped with a warning).")
    public boolean initStrict = true;

    // ---- optimisation ----
    @JsonPropertyDescription("Number of pretraining epochs.")
    public int epochs = 200;

    @JsonPropertyDescription("Mini-batch size (images per step, before view generation).")
    public int batchSize = 256;

    @JsonPropertyDescription("Gradient accumulation: the optimiser steps every N batches with the mean of their "
            + "gradients, so the effective batch is batch-size x N (also for lr-scaling). BatchNorm still sees "
            + "batches of batch-size (its statistics are per batch, so N x B is not the same as one batch of N*B "
            + "with BatchNorm). Steps, schedules, the EMA, checkpoints and metrics count optimiser steps. 1 = off.")
    public int accumulateSteps = 1;

    @JsonPropertyDescription("Base learning rate (scaled by lr-scaling).")
    public double lr = 0.1;

    @JsonPropertyDescription("Learning-rate scaling: %s (linear: lr * batch-size / 256, in floating point; "
            + "none: lr as given).")
    public String lrScaling = "linear";

    @JsonPropertyDescription("Optimizer: %s (sgd: PyTorch semantics; lars: RSA's LARS; adamw: PyTorch's AdamW, the "
            + "ViT papers' choice).")
    public String optimizer = "sgd";

    @JsonPropertyDescription("Momentum of the optimizer (adamw: beta1).")
    public double momentum = 0.9;

    @JsonPropertyDescription("Nesterov momentum (sgd only).")
    public boolean nesterov = false;

    @JsonPropertyDescription("Weight decay (sgd: all parameters; lars: parameters with more than one dimension; adamw: "
            + "decoupled, on parameters with more than one dimension except a ViT's class token and position "
            + "embeddings, so never on biases and norms).")
    public double weightDecay = 5e-4;

    @JsonPropertyDescription("adamw: beta2 (beta1 is momentum); 0.999 is PyTorch's default, MAE and MoCo v3 use 0.95.")
    public double adamBeta2 = 0.999;

    @JsonPropertyDescription("Clip the gradients' global L2 norm to this value before each optimiser step, as "
            + "torch.nn.utils.clip_grad_norm_ (0 = off).")
    public double clipGrad = 0;

    @JsonPropertyDescription("Learning-rate schedule: %s.")
    public String lrSchedule = "cosine-epoch";

    @JsonPropertyDescription("Linear warm-up epochs (warmup-cosine-step and dssl-epoch only).")
    public int warmupEpochs = 0;

    // ---- method parameters (each method's own options are declared by the method: see methodOption) ----
    @JsonPropertyDescription("Base EMA decay tau of the target network.")
    public double emaBase = 0.99;

    @JsonPropertyDescription("EMA decay schedule: %s (cosine: tau rises from ema-base to 1; constant: tau stays "
            + "at ema-base).")
    public String emaSchedule = "cosine";

    @JsonPropertyDescription("When the target is updated: %s (before-forward: RSA; after-step: DSSL-BYOL).")
    public String emaTiming = "before-forward";

    // ---- augmentation ----
    @JsonPropertyDescription("RandAugment N (ops per image) of the heavy views.")
    public int randaugN = 2;

    @JsonPropertyDescription("RandAugment M (magnitude, 0-30 scale) of the heavy views.")
    public int randaugM = 9;

    @JsonPropertyDescription("RandAugment N of DSSL-BYOL's harder views.")
    public int hardN = 8;

    @JsonPropertyDescription("RandAugment M (0-30) of DSSL-BYOL's harder views.")
    public int hardM = 16;

    @JsonPropertyDescription("GridShuffle grid size (grid x grid tiles).")
    public int grid = 4;

    @JsonPropertyDescription("RandAugment translations and cutout relative to the image size instead of "
            + "absolute pixels.")
    public boolean relativeMagnitudes = false;

    // ---- execution ----
    @JsonPropertyDescription("Run seed: every random choice derives from it.")
    public long seed = 0;

    @JsonPropertyDescription("Augmentation threads.")
    @RunSetting
    public int threads = 2;

    @JsonPropertyDescription("PyTorch intra-op threads of this process (also OpenMP's, as OMP_NUM_THREADS would); "
            + "0 = the engine's default, one per core. 1 makes results bit-identical from run to run and across a "
            + "resume (same device and build); more threads sum in a varying order and drift by rounding.")
    @RunSetting
    public int torchThreads = 0;

    @JsonPropertyDescription("Batches prepared ahead of the training step.")
    @RunSetting
    public int prefetch = 2;

    @JsonPropertyDescription("Device: auto, cpu, gpu or gpu:N.")
    @RunSetting
    public String device = "auto";

    @JsonPropertyDescription("Where views are augmented: %s (cpu: PIL-exact; device: batched on the device).")
    public String augmentOn = "cpu";

    @JsonPropertyDescription("Arithmetic of the forward passes: %s (bf16: autocast to bfloat16; fp16: autocast to "
            + "float16 with dynamic loss scaling). Weights, optimiser state, EMA target, BatchNorm "
            + "statistics, losses and checkpoints stay float32.")
    public String precision = "fp32";

    @JsonPropertyDescription("Keep convolution weights (and so activations) in channels-last memory format.")
    @RunSetting
    public boolean channelsLast = false;

    @JsonPropertyDescription("Let cuDNN benchmark convolution algorithms (GPU only; not bit-reproducible).")
    @RunSetting
    public boolean cudnnBenchmark = false;

    @JsonPropertyDescription("Allow TF32 for float32 matrix multiplications and convolutions (GPU only).")
    @RunSetting
    public boolean tf32 = false;

    // ---- monitoring and checkpoints ----
    @JsonPropertyDescription("kNN monitor every N epochs (0 = off).")
    @RunSetting
    public int knnEvery = 0;

    @JsonPropertyDescription("kNN monitor: number of neighbours.")
    @RunSetting
    public int knnK = 200;

    @JsonPropertyDescription("kNN monitor: temperature of the vote weights.")
    @RunSetting
    public double knnT = 0.1;

    @JsonPropertyDescription("Test geometry of the kNN monitor and of 'eval knn', for bank and test images: %s (plain: "
            + "ToTensor + Normalize, RSA; dssl-cifar: Resize(S*36/32, bicubic) + CenterCrop(S), DSSL's CIFAR monitor).")
    @RunSetting
    public String knnTransform = "plain";

    @JsonPropertyDescription("Linear probe after pretraining (as RSA's train_single.py and DSSL's run.py): "
            + "%s; empty = none. Its final-epoch test top-1 goes to the "
            + "summary, the report and metrics.jsonl.")
    @RunSetting
    public String probe = "";

    @JsonPropertyDescription("Online linear probe (solo-learn's practice): a linear classifier trained during "
            + "pretraining, with its own SGD, on the detached inference-mode backbone features of each step's "
            + "labelled images; the encoder gets no gradient from it (pretraining is bit-identical on or off). Logs "
            + "online_probe_acc with the steps and online_probe_top1 (test) at every kNN point. Off by itself "
            + "without labels.")
    @RunSetting
    public boolean onlineProbe = true;

    @JsonPropertyDescription("After the final epoch, a 2-D UMAP of the backbone features of up to 2000 test "
            + "images (seeded: deterministic) for the report's embedding map (embedding-map.json).")
    @RunSetting
    public boolean embeddingMap = true;

    @JsonPropertyDescription("Write a TensorBoard log to <run>/tensorboard/ (every scalar of metrics.jsonl, the "
            + "augmentation preview, the configuration); view with: tensorboard --logdir runs/.")
    @RunSetting
    public boolean tensorboard = true;

    @JsonPropertyDescription("Keep a checkpoint every N epochs (the last one is always written; 0 = last only).")
    @RunSetting
    public int checkpointEvery = 10;

    @JsonPropertyDescription("Also checkpoint every N steps inside an epoch, for exact resume (0 = off).")
    @RunSetting
    public int checkpointSteps = 0;

    @JsonPropertyDescription("Write a metrics line every N steps.")
    @RunSetting
    public int logEvery = 10;

    @JsonPropertyDescription("Collapse warning when the per-dimension std of L2-normalised projections falls "
            + "below this (healthy is about 1/sqrt(dim)).")
    @RunSetting
    public double collapseStd = 0.01;

    @JsonPropertyDescription("Data-parallel runs (mpirun, srun, selfsup launch): seconds without progress after "
            + "which a rank that died or hangs stops the others (exit code 4), and the rendezvous timeout.")
    @RunSetting
    public double distTimeout = 300;

    @JsonPropertyDescription("Data-parallel runs: gradients are averaged in buckets of about this many MiB, one "
            + "all-reduce per bucket and step (PyTorch DDP's default 25).")
    @RunSetting
    public double bucketMb = 25;

    /**
     * The methods' own options (keys declared in each method's {@code MethodDefinition}, e.g. RSA's
     * {@code beta}), by key; written after the other keys, flat, as if they were fields.
     */
    private final Map<String, Double> methodOptions = new LinkedHashMap<>(MethodRegistry.optionDefaults());

    /** The value of method option {@code key}. */
    public double methodOption(String key) {
        Double v = methodOptions.get(key);
        if (v == null) {
            throw new IllegalArgumentException("not a method option: " + key);
        }
        return v;
    }

    /** Sets method option {@code key} (a number); does not validate. */
    @JsonAnySetter
    public void setMethodOption(String key, Object value) {
        if (!methodOptions.containsKey(key)) {
            throw new IllegalArgumentException("not a configuration key: " + key);
        }
        if (!(value instanceof Number n)) {
            throw new IllegalArgumentException(key + ": expected a number, got " + value);
        }
        methodOptions.put(key, n.doubleValue());
    }

    /** Every method option, by key (what the configuration files hold after the fields). */
    @JsonAnyGetter
    public Map<String, Double> methodOptionValues() {
        return java.util.Collections.unmodifiableMap(methodOptions);
    }

    /** The method options as the methods take them. */
    public MethodOptions methodOptions() {
        return new MethodOptions(methodOptions);
    }

    /** The backbone the model keys describe (arch, width, blocks and the ViT settings). */
    public org.selfsup.model.Backbone backbone() {
        return org.selfsup.model.Backbone.of(arch, width, blocks, new org.selfsup.model.Backbone.Vit(patchSize,
                attentionHeads, pooling, frozenPatchEmbed, vitInit, posEmbed));
    }

    /**
     * The learning rate the schedules start from: {@code lr * B / 256} (floating point) when linear, with B the
     * effective batch {@code batch-size * accumulate-steps}.
     */
    public double effectiveLr() {
        return Choices.LrScaling.LINEAR.label().equals(lrScaling) ? lr * effectiveBatch() / 256.0 : lr;
    }

    /** Images per optimiser step: {@code batch-size * accumulate-steps}. */
    public long effectiveBatch() {
        return (long) batchSize * Math.max(1, accumulateSteps);
    }

    /** The view plan to use: {@link #plan}, or the method's default plan when empty. */
    public String effectivePlan() {
        if (plan != null && !plan.isBlank()) {
            return plan;
        }
        // an unknown method keeps its own name, so that validation reports the method, not a plan
        if (MethodRegistry.find(method).isEmpty()) {
            return method;
        }
        return methodDefinition().defaultPlan();
    }

    /**
     * The method this configuration trains: {@link #method} with the strategy {@link #heavy}
     * ({@link MethodRegistry#resolve}).
     *
     * @throws org.selfsup.util.UserException when they cannot be combined
     */
    public MethodDefinition methodDefinition() {
        return MethodRegistry.resolve(method, heavy);
    }

    /**
     * The side of the training views, the one rule for it: {@code image-size}, or when that is 0 the data
     * set's default view size (that of {@code loaded} when the data set is loaded, else the registry's
     * default for {@code dataset}).
     */
    public int viewSize(Dataset loaded) {
        if (imageSize > 0) {
            return imageSize;
        }
        return loaded != null ? loaded.viewSize() : DatasetRegistry.defaultViewSize(dataset);
    }

    /** The data options of this run: image size, {@code on-bad-image}, {@code labels}, the pre-resize, the cache. */
    public org.selfsup.data.DataOptions dataOptions() {
        org.selfsup.data.DataOptions o = new org.selfsup.data.DataOptions();
        o.imageSize = imageSize;
        o.onBadImage = org.selfsup.data.DataOptions.policy(onBadImage);
        o.unlabelled = org.selfsup.data.DataOptions.unlabelled(labels);
        o.preresizeMaxSide = preresizeMaxSide;
        o.preresizer = org.selfsup.augment.ops.CapLongerSide.PIL_BICUBIC;
        o.cacheDir = cacheDir == null || cacheDir.isBlank() ? null : Path.of(cacheDir);
        return o;
    }

    /** The data folder, or null when {@code data-dir} is empty (the data set's default location). */
    public Path dataDirPath() {
        return dataDir == null || dataDir.isBlank() ? null : Path.of(dataDir);
    }

    /** The run folder {@code <runs-dir>/<name>}. */
    public Path runDirPath() {
        return Path.of(runsDir, name);
    }

    /**
     * Checks every value; throws {@link ConfigValueException} (a {@link org.selfsup.util.UserException})
     * naming the key and the problem.
     */
    public void validate() {
        ConfigValidator.validate(this);
    }

    /** A deep copy. */
    public TrainConfig copy() {
        return ConfigIo.fromJson(ConfigIo.toJson(this));
    }

    /** The configuration as YAML (every key, kebab-case). */
    public String toYaml() {
        return ConfigIo.toYaml(this);
    }

    /** The configuration as one-line JSON (every key, kebab-case). */
    public String toJson() {
        return ConfigIo.toJson(this);
    }

    /**
     * Reads a configuration file (YAML for .yaml/.yml, JSON for .json): the preset named in the file
     * (if any) then the file's keys. Unknown keys and bad values are a UserException naming the file and
     * key. The result is validated.
     */
    public static TrainConfig fromFile(Path file) {
        return ConfigResolver.resolve(null, file, ConfigLayer.empty("flags"));
    }

    /**
     * Reads a complete configuration from JSON text (e.g. stored in a checkpoint): base defaults, then
     * the text's keys, validated. Unknown keys or bad values are a UserException starting with
     * {@code origin}.
     */
    public static TrainConfig fromJson(String json, String origin) {
        return fromLayer(ConfigLayer.fromText(json, false, origin));
    }

    /** As {@link #fromJson} for YAML text. */
    public static TrainConfig fromYaml(String yaml, String origin) {
        return fromLayer(ConfigLayer.fromText(yaml, true, origin));
    }

    private static TrainConfig fromLayer(ConfigLayer layer) {
        TrainConfig c = new TrainConfig().merge(layer);
        try {
            c.validate();
        } catch (ConfigValueException e) {
            throw new UserException(layer.describe(e.keys().get(0)) + ": " + e.detail(), e);
        }
        return c;
    }

    /** Writes {@link #toYaml()} to a file atomically (temporary file, then rename). */
    public void saveYaml(Path file) {
        ConfigIo.writeAtomically(file, toYaml());
    }

    /**
     * Applies the keys of a layer on top of this configuration (conversion errors name the layer and
     * key). Does not validate: call {@link #validate()} when done.
     */
    public TrainConfig merge(ConfigLayer layer) {
        layer.applyTo(this);
        return this;
    }

    /**
     * Applies values by kebab-case key, e.g. {@code merge(Map.of("epochs", 3, "blocks", List.of(1, 1)))};
     * unknown keys or wrong types are a UserException. Does not validate.
     */
    public TrainConfig merge(Map<String, ?> values) {
        return merge(ConfigLayer.ofValues("values", values));
    }

    @Override
    public String toString() {
        return toJson();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrainConfig other && other.toJson().equals(toJson());
    }

    @Override
    public int hashCode() {
        return toJson().hashCode();
    }
}
