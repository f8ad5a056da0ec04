package org.selfsup.config;

import java.util.List;
import org.selfsup.util.Labelled;

/**
 * The values of the configuration keys whose meaning lives above this package: the schedules and the EMA
 * timing (read by {@code train}), the kNN monitor's test geometry and the probe protocols (read by
 * {@code eval}). They are declared here, the lowest package both the validation and their readers see, and
 * those readers switch on these constants, so each value is spelled once. The values of keys owned lower
 * down are their owners' lists (methods, plans, archs, optimisers, precisions, data sets, bad-image policy,
 * label source, augment-on): see {@link ConfigKeys#choices}.
 */
public final class Choices {
    private Choices() {}

    /** {@code lr-scaling}: how the base learning rate scales with the batch size. */
    public enum LrScaling implements Labelled {
        /** {@code lr * batch-size / 256}. */
        LINEAR,
        /** The base learning rate as given. */
        NONE;

        public static final List<String> LABELS = Labelled.labels(LrScaling.class);
    }

    /** {@code lr-schedule}: the learning-rate schedule ({@code train.LrSchedule}). */
    public enum LrSchedule implements Labelled {
        COSINE_EPOCH, WARMUP_COSINE_STEP, DSSL_EPOCH;

        public static final List<String> LABELS = Labelled.labels(LrSchedule.class);
    }

    /** {@code ema-schedule}: how the EMA decay moves from {@code ema-base}. */
    public enum EmaSchedule implements Labelled {
        /** Tau rises from ema-base to 1 along a cosine. */
        COSINE,
        /** Tau stays at ema-base. */
        CONSTANT;

        public static final List<String> LABELS = Labelled.labels(EmaSchedule.class);
    }

    /** {@code ema-timing}: when the EMA target is updated in a step. */
    public enum EmaTiming implements Labelled {
        /** Before the forward pass, with the weights after the previous optimiser step (RSA/BYOL code, §2.7). */
        BEFORE_FORWARD,
        /** After the optimiser step (DSSL-BYOL, lucidrains style, §3.5). */
        AFTER_STEP;

        public static final List<String> LABELS = Labelled.labels(EmaTiming.class);
    }

    /** {@code knn-transform}: the kNN monitor's test geometry ({@code eval.KnnMonitor#transform}). */
    public enum KnnTransform implements Labelled {
        /** ToTensor + Normalize (RSA); streamed pictures get the ImageNet geometry. */
        PLAIN,
        /** Resize(S*36/32, bicubic) + CenterCrop(S), DSSL's CIFAR monitor. */
        DSSL_CIFAR;

        public static final List<String> LABELS = Labelled.labels(KnnTransform.class);
    }

    /** {@code probe}: the linear-probe protocols ({@code eval.ProbeProtocol}); the key also accepts "" for none. */
    public enum Probe implements Labelled {
        CIFAR, MSF, DSSL_CIFAR, DSSL_IMAGENET, FAST;

        public static final List<String> LABELS = Labelled.labels(Probe.class);
    }

    /**
     * The constant of {@code type} labelled {@code value}, for a value the validation accepted.
     *
     * @throws IllegalArgumentException for another value (a configuration that skipped validation)
     */
    public static <E extends Enum<E> & Labelled> E of(Class<E> type, String value) {
        E e = Labelled.find(type, value);
        if (e == null) {
            throw new IllegalArgumentException("unknown " + type.getSimpleName() + ": " + value);
        }
        return e;
    }
}
