package org.selfsup.config;

import java.util.List;
import java.util.regex.Pattern;
import org.selfsup.augment.plans.ViewPlans;
import org.selfsup.data.stream.PreresizedStore;
import org.selfsup.method.MethodDefinition;
import org.selfsup.method.MethodOption;
import org.selfsup.method.MethodRegistry;
import org.selfsup.util.Names;

/**
 * Range and consistency checks of a {@link TrainConfig}. The first problem found is thrown as a
 * {@link ConfigValueException} naming the key(s).
 */
public final class ConfigValidator {
    private ConfigValidator() {}

    // Bounds of the values that size allocations, far above any published recipe (ResNet widths 64-256,
    // batches up to 32k, 1000 epochs) but below what overflows or asks for terabytes at once. Whether a
    // legal configuration fits the device is checked at run start (runtime.MemoryCheck).
    public static final int MAX_WIDTH = 1024;
    public static final int MAX_BLOCKS = 64;
    static final int MAX_BATCH = 65536;
    static final int MAX_ACCUMULATE = 4096;
    static final int MAX_EPOCHS = 100_000;
    static final int MAX_PREFETCH = 64;
    public static final int MAX_IMAGE_SIZE = 4096;

    private static final Pattern RUN_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern DEVICE = Pattern.compile("auto|cpu|gpu|gpu:\\d+");

    static void validate(TrainConfig c) {
        checkNames(c);
        checkRanges(c);
        checkConsistency(c);
    }

    private static void checkNames(TrainConfig c) {
        if (c.name != null && !c.name.isEmpty() && !RUN_NAME.matcher(c.name).matches()) {
            throw new ConfigValueException("'" + c.name + "' is not a valid run name "
                    + "(letters, digits, '.', '_' and '-', not starting with '.', '_' or '-')", "name");
        }
        if (c.runsDir == null || c.runsDir.isBlank()) {
            throw new ConfigValueException("must not be empty", "runs-dir");
        }
        oneOf("method", c.method);
        oneOf("heavy", c.heavy);
        try {
            c.methodDefinition();
        } catch (org.selfsup.util.UserException e) {
            throw new ConfigValueException(e.getMessage().replaceFirst("^heavy: ", ""), "heavy", "method");
        }
        if (c.plan != null && !c.plan.isEmpty()) {
            oneOf("plan", c.plan);
        }
        if (c.dataset == null || c.dataset.isBlank()) {
            throw new ConfigValueException("must not be empty", "dataset");
        }
        oneOf("arch", c.arch);
        oneOf("pooling", c.pooling);
        oneOf("vit-init", c.vitInit);
        oneOf("pos-embed", c.posEmbed);
        oneOf("lr-scaling", c.lrScaling);
        oneOf("optimizer", c.optimizer);
        oneOf("lr-schedule", c.lrSchedule);
        oneOf("ema-schedule", c.emaSchedule);
        oneOf("ema-timing", c.emaTiming);
        oneOf("augment-on", c.augmentOn);
        oneOf("precision", c.precision);
        oneOf("on-bad-image", c.onBadImage);
        oneOf("labels", c.labels);
        oneOf("knn-transform", c.knnTransform);
        List<String> probes = ConfigKeys.choices("probe");
        if (c.probe == null || !(c.probe.isEmpty() || probes.contains(c.probe))) {
            throw new ConfigValueException("'" + c.probe + "' is not a probe protocol (expected "
                    + String.join(", ", probes) + ", or empty for none)" + Names.didYouMean(String.valueOf(c.probe),
                    java.util.stream.Stream.concat(java.util.stream.Stream.of(""), probes.stream()).toList()), "probe");
        }
        if (c.device == null || !DEVICE.matcher(c.device).matches()) {
            throw new ConfigValueException("'" + c.device + "' is not a device (auto, cpu, gpu or gpu:N)"
                    + Names.didYouMean(String.valueOf(c.device), List.of("auto", "cpu", "gpu")), "device");
        }
    }

    private static void checkRanges(TrainConfig c) {
        atLeast("image-size", c.imageSize, 0);
        atMost("image-size", c.imageSize, MAX_IMAGE_SIZE);
        if (c.preresizeMaxSide != 0 && (c.preresizeMaxSide < PreresizedStore.MIN_SIDE
                || c.preresizeMaxSide > PreresizedStore.MAX_SIDE)) {
            throw new ConfigValueException("must be 0 (off) or between " + PreresizedStore.MIN_SIDE
                    + " and " + PreresizedStore.MAX_SIDE + " pixels (got " + c.preresizeMaxSide + ")",
                    "preresize-max-side");
        }
        unitInterval("crop-scale-min", c.cropScaleMin, false);
        unitInterval("crop-scale-max", c.cropScaleMax, false);
        atLeast("width", c.width, 1);
        atMost("width", c.width, MAX_WIDTH);
        if (c.blocks == null || c.blocks.isEmpty()) {
            throw new ConfigValueException("must list at least one stage", "blocks");
        }
        for (int b : c.blocks) {
            if (b < 1) {
                throw new ConfigValueException("every stage needs at least 1 block (got " + b + ")", "blocks");
            }
            if (b > MAX_BLOCKS) {
                throw new ConfigValueException("a stage has at most " + MAX_BLOCKS + " blocks (got " + b + ")",
                        "blocks");
            }
        }
        atLeast("patch-size", c.patchSize, 1);
        atMost("patch-size", c.patchSize, MAX_IMAGE_SIZE);
        atLeast("attention-heads", c.attentionHeads, 0);
        atMost("attention-heads", c.attentionHeads, MAX_WIDTH);
        if (c.adamBeta2 < 0 || c.adamBeta2 >= 1) {
            throw new ConfigValueException("must be in [0, 1) (got " + c.adamBeta2 + ")", "adam-beta2");
        }
        nonNegative("clip-grad", c.clipGrad);
        atLeast("epochs", c.epochs, 1);
        atMost("epochs", c.epochs, MAX_EPOCHS);
        if (c.batchSize < 2) {
            throw new ConfigValueException("must be at least 2: BatchNorm needs more than one sample (got "
                    + c.batchSize + ")", "batch-size");
        }
        atMost("batch-size", c.batchSize, MAX_BATCH);
        atLeast("accumulate-steps", c.accumulateSteps, 1);
        atMost("accumulate-steps", c.accumulateSteps, MAX_ACCUMULATE);
        positive("lr", c.lr);
        if (c.momentum < 0 || c.momentum >= 1) {
            throw new ConfigValueException("must be in [0, 1) (got " + c.momentum + ")", "momentum");
        }
        nonNegative("weight-decay", c.weightDecay);
        atLeast("warmup-epochs", c.warmupEpochs, 0);
        for (MethodOption o : MethodRegistry.options().values()) {
            String problem = o.problem(c.methodOption(o.key()));
            if (problem != null) {
                throw new ConfigValueException(problem, o.key());
            }
        }
        unitInterval("ema-base", c.emaBase, true);
        atLeast("randaug-n", c.randaugN, 0);
        atMost("randaug-n", c.randaugN, 16);
        magnitude("randaug-m", c.randaugM);
        atLeast("hard-n", c.hardN, 0);
        atMost("hard-n", c.hardN, 16);
        magnitude("hard-m", c.hardM);
        atLeast("grid", c.grid, 1);
        atLeast("threads", c.threads, 1);
        atMost("threads", c.threads, 256);
        atLeast("torch-threads", c.torchThreads, 0);
        atMost("torch-threads", c.torchThreads, 256);
        atLeast("prefetch", c.prefetch, 1);
        atMost("prefetch", c.prefetch, MAX_PREFETCH);
        atLeast("knn-every", c.knnEvery, 0);
        atLeast("knn-k", c.knnK, 1);
        positive("knn-t", c.knnT);
        atLeast("checkpoint-every", c.checkpointEvery, 0);
        atLeast("checkpoint-steps", c.checkpointSteps, 0);
        atLeast("log-every", c.logEvery, 1);
        nonNegative("collapse-std", c.collapseStd);
        positive("dist-timeout", c.distTimeout);
        positive("bucket-mb", c.bucketMb);
    }

    private static void checkConsistency(TrainConfig c) {
        if (c.cropScaleMin > c.cropScaleMax) {
            throw new ConfigValueException("crop-scale-min " + c.cropScaleMin + " is greater than crop-scale-max "
                    + c.cropScaleMax, "crop-scale-min", "crop-scale-max");
        }
        MethodDefinition method = c.methodDefinition();
        String views = ViewPlans.viewMismatch(c.effectivePlan(), method.name(), method.views());
        if (views != null) {
            throw new ConfigValueException(views, "plan", "method");
        }
        boolean warmupSchedule = !c.lrSchedule.equals("cosine-epoch");
        if (c.warmupEpochs > 0 && !warmupSchedule) {
            throw new ConfigValueException("warmup-epochs " + c.warmupEpochs + " has no effect with lr-schedule cosine-epoch (use warmup-cosine-step "
                    + "or dssl-epoch, or set it to 0)", "warmup-epochs", "lr-schedule");
        }
        if (c.warmupEpochs >= c.epochs && c.warmupEpochs > 0) {
            throw new ConfigValueException("warmup-epochs (" + c.warmupEpochs + ") must be less than epochs ("
                    + c.epochs + ")", "warmup-epochs", "epochs");
        }
        if (c.nesterov && c.optimizer.equals("lars")) {
            throw new ConfigValueException("nesterov is not supported by optimizer lars", "nesterov", "optimizer");
        }
        checkVit(c);
        if (c.imageSize > 0 && c.grid > c.imageSize) {
            throw new ConfigValueException("grid " + c.grid + " is larger than image-size " + c.imageSize,
                    "grid", "image-size");
        }
    }

    /** A ViT's depth, heads and patch size against width and image size; channels-last does not apply. */
    private static void checkVit(TrainConfig c) {
        boolean vit = org.selfsup.model.ModelSpec.VITS.contains(c.arch);
        if (!vit) {
            if (c.attentionHeads != 0) {
                throw new ConfigValueException("attention-heads " + c.attentionHeads + " applies to ViT archs only "
                        + "(set it to 0 for " + c.arch + ")", "attention-heads", "arch");
            }
            return;
        }
        if (c.arch.equals("vit")) {
            if (c.blocks.size() != 1) {
                throw new ConfigValueException("arch vit takes its depth as one number (e.g. blocks 12), got "
                        + ConfigKeys.format(c.blocks), "blocks", "arch");
            }
            int heads = c.attentionHeads > 0 ? c.attentionHeads : Math.max(1, c.width / 64);
            if (c.width % heads != 0) {
                throw new ConfigValueException(heads + " attention heads do not divide width " + c.width,
                        "attention-heads", "width");
            }
        } else if (c.attentionHeads != 0 && c.backbone().width() % c.attentionHeads != 0) {
            throw new ConfigValueException(c.attentionHeads + " attention heads do not divide width "
                    + c.backbone().width() + " of " + c.arch, "attention-heads", "arch");
        }
        int width = c.backbone().width();
        if ("sincos".equals(c.posEmbed) && width % 4 != 0) {
            throw new ConfigValueException("pos-embed sincos needs a width divisible by 4 (a quarter each for sin and "
                    + "cos of the two axes), " + c.arch + " has " + width, "pos-embed", "width");
        }
        if (c.imageSize > 0 && c.imageSize % c.patchSize != 0) {
            throw new ConfigValueException("image-size " + c.imageSize + " is not a multiple of patch-size "
                    + c.patchSize + " (" + c.arch + " cuts views into patches)", "image-size", "patch-size");
        }
        if (c.channelsLast) {
            throw new ConfigValueException("channels-last does not apply to a ViT backbone (its only convolution is the "
                    + "patch embedding; the blocks work on token matrices): set it to false", "channels-last", "arch");
        }
    }

    /** {@code value} must be one of the values {@code key} accepts ({@link ConfigKeys#choices}). */
    private static void oneOf(String key, String value) {
        List<String> allowed = ConfigKeys.choices(key);
        if (value == null || !allowed.contains(value)) {
            throw new ConfigValueException("'" + value + "' is not one of " + String.join(", ", allowed)
                    + Names.didYouMean(String.valueOf(value), allowed), key);
        }
    }

    private static void atLeast(String key, long value, long min) {
        if (value < min) {
            throw new ConfigValueException("must be at least " + min + " (got " + value + ")", key);
        }
    }

    private static void atMost(String key, long value, long max) {
        if (value > max) {
            throw new ConfigValueException("must be at most " + max + " (got " + value + ")", key);
        }
    }

    private static void positive(String key, double value) {
        if (!(value > 0)) {
            throw new ConfigValueException("must be positive (got " + value + ")", key);
        }
    }

    private static void nonNegative(String key, double value) {
        if (!(value >= 0)) {
            throw new ConfigValueException("must not be negative (got " + value + ")", key);
        }
    }

    private static void unitInterval(String key, double value, boolean zeroAllowed) {
        boolean ok = zeroAllowed ? value >= 0 && value <= 1 : value > 0 && value <= 1;
        if (!ok) {
            throw new ConfigValueException("must be in " + (zeroAllowed ? "[0, 1]" : "(0, 1]") + " (got " + value
                    + ")", key);
        }
    }

    private static void magnitude(String key, int m) {
        if (m < 0 || m > 30) {
            throw new ConfigValueException("RandAugment magnitude must be in 0-30 (got " + m + ")", key);
        }
    }
}
