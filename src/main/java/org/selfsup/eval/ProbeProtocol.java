package org.selfsup.eval;

import java.util.List;
import org.selfsup.augment.ImageOp;
import org.selfsup.augment.RandomTransform;
import org.selfsup.augment.ops.CenterCrop;
import org.selfsup.augment.ops.Resampling;
import org.selfsup.augment.ops.Resize;
import org.selfsup.augment.random.RandomHorizontalFlip;
import org.selfsup.augment.random.RandomResizedCrop;
import org.selfsup.config.Choices;
import org.selfsup.data.Image;
import org.selfsup.data.ImageSet;
import org.selfsup.data.Normalization;
import org.selfsup.util.Labelled;
import org.selfsup.util.UserException;

/**
 * A linear-probe protocol as a value: the head's input, optimiser, schedule and image transforms.
 *
 * @param name        protocol name ({@code cifar}, {@code msf}, {@code dssl-cifar}, {@code dssl-imagenet},
 *                    {@code fast})
 * @param augment     train on features of freshly augmented images each epoch (RandomResizedCrop +
 *                    flip through the frozen encoder); false = on features pre-extracted once under the
 *                    test transform
 * @param standardize L2-normalise features and standardise each dimension with the mean/variance of
 *                    the normalised TRAIN features under the test transform (eps 1e-5), computed afresh
 *                    for every evaluation
 * @param lr          base learning rate (not scaled by the batch size)
 * @param momentum    SGD momentum
 * @param nesterov    Nesterov momentum
 * @param weightDecay L2 weight decay on the head
 * @param larcTrust   LARC trust coefficient around the SGD step (apex LARC, clip off); 0 = plain SGD
 * @param epochs      training epochs
 * @param cosine      per-epoch cosine {@code lr · 0.5 · (1 + cos(pi · e / epochs))} instead of milestones
 * @param milestones  0-based epochs from which the rate is multiplied by {@code gamma} once more
 *                    (PyTorch MultiStepLR stepped once per epoch); unused with {@code cosine}
 * @param gamma       rate factor at each milestone
 * @param batchSize   images per step (the last partial batch is dropped, as in the original code,
 *                    unless the training split is smaller than one batch). The encoder is frozen, so a
 *                    large batch needs no gradient accumulation: its images go through the encoder in
 *                    chunks of the extraction batch and only the features of the whole batch are held
 * @param initStd     standard deviation of the head's weight initialisation (bias 0)
 * @param cropScale   lower bound of the RandomResizedCrop area fraction (upper bound 1)
 * @param cropFilter  resampling of the training crop
 * @param testResize  test geometry: 0 = the view as it is (centre crop when the test images are larger);
 *                    otherwise {@code Resize(round(S · testResize))} (shorter side) then
 *                    {@code CenterCrop(S)} for views of side S (36/32 for DSSL-CIFAR, 256/224 for ImageNet)
 * @param testFilter  resampling of the test resize
 */
public record ProbeProtocol(String name, boolean augment, boolean standardize, double lr, double momentum,
                            boolean nesterov, double weightDecay, double larcTrust, int epochs, boolean cosine,
                            List<Integer> milestones, double gamma, int batchSize, double initStd, double cropScale,
                            Resampling cropFilter, double testResize, Resampling testFilter) {

    /**
     * RSA single-GPU protocol (spec §2.9b): raw encoder features, Linear(D→C) ~ N(0, 0.01²), SGD lr 30,
     * momentum 0.9, Nesterov, wd 0, 100 epochs with ×0.1 at 60 and 80, batch 256, RandomResizedCrop(S,
     * 0.08–1) + flip; test CenterCrop(S) (the image itself at S); the frozen encoder runs in eval mode
     * (project fix).
     */
    public static final ProbeProtocol CIFAR = new ProbeProtocol("cifar", true, false, 30, 0.9, true, 0, 0, 100,
            false, List.of(60, 80), 0.1, 256, 0.01, 0.08, Resampling.BILINEAR, 0, Resampling.BILINEAR);

    /**
     * RSA multi-GPU "mean-shift eval" protocol (spec §2.9c): L2-normalised, standardised features, SGD
     * lr 0.01, momentum 0.9, wd 1e-4, 40 epochs with ×0.1 at 15 and 30, batch 256, RandomResizedCrop +
     * flip; test Resize(S · 256/224) + CenterCrop(S).
     */
    public static final ProbeProtocol MSF = new ProbeProtocol("msf", true, true, 0.01, 0.9, false, 1e-4, 0, 40,
            false, List.of(15, 30), 0.1, 256, 0.01, 0.08, Resampling.BILINEAR, 256.0 / 224, Resampling.BILINEAR);

    /**
     * DSSL's CIFAR probe ({@code simsiam_cifar10/main_lincls.py}, spec §3.3): raw features, SGD lr 30,
     * momentum 0.9 without Nesterov, wd 0, 100 epochs with ×0.1 at 60 and 80, batch 256; train
     * RandomResizedCrop(S, scale 0.8–1, bicubic) + flip; test Resize(S · 36/32, bicubic) + CenterCrop(S)
     * (36 and 32 on CIFAR). Differences: the final epoch is reported, not the best on the test set, and
     * every test image is scored (the original drops the last partial batch: 9,984 of 10,000).
     */
    public static final ProbeProtocol DSSL_CIFAR = new ProbeProtocol("dssl-cifar", true, false, 30, 0.9, false, 0, 0,
            100, false, List.of(60, 80), 0.1, 256, 0.01, 0.8, Resampling.BICUBIC, 36.0 / 32, Resampling.BICUBIC);

    /**
     * DSSL's ImageNet probe ({@code simsiam_imagenet/main_lincls.py} via {@code test_runer.py}, spec
     * §3.4): raw features, LARC (trust 0.001, clip off) over SGD lr 1.6, momentum 0.9, wd 0, batch 4096,
     * 90 epochs with a per-epoch cosine; train RandomResizedCrop(S, 0.08–1) + flip, test
     * Resize(S · 256/224) + CenterCrop(S). The final epoch is reported (the original keeps the best on
     * the test set).
     */
    public static final ProbeProtocol DSSL_IMAGENET = new ProbeProtocol("dssl-imagenet", true, false, 1.6, 0.9, false,
            0, 0.001, 90, true, List.of(), 0.1, 4096, 0.01, 0.08, Resampling.BILINEAR, 256.0 / 224,
            Resampling.BILINEAR);

    /**
     * Not a published protocol: a quick probe on features extracted once under the test transform (no
     * augmentation), L2-normalised and standardised as in {@link #MSF}, SGD lr 0.1, momentum 0.9,
     * wd 0, 40 epochs with ×0.1 at 15 and 30. Its numbers are not comparable with papers. (lr 0.1 was
     * picked on a validation split of a Fashion-MNIST demo encoder: 0.01 / 0.03 / 0.1 / 0.3 gave
     * 58.8 / 61.1 / 61.5 / 62.2 % final validation top-1; 0.1 leaves headroom for wider features.)
     */
    public static final ProbeProtocol FAST = new ProbeProtocol("fast", false, true, 0.1, 0.9, false, 0, 0, 40,
            false, List.of(15, 30), 0.1, 256, 0.01, 0.08, Resampling.BILINEAR, 0, Resampling.BILINEAR);

    /** The protocol names {@link #named} accepts. */
    public static final List<String> NAMES = Choices.Probe.LABELS;

    public ProbeProtocol {
        milestones = List.copyOf(milestones);
        if (epochs <= 0 || batchSize <= 0 || lr <= 0) {
            throw new IllegalArgumentException("probe protocol " + name + ": epochs, batch size and lr must be positive");
        }
        if (larcTrust < 0 || testResize < 0 || (testResize > 0 && testResize < 1)) {
            throw new IllegalArgumentException("probe protocol " + name + ": LARC trust must be >= 0 and the test "
                    + "resize 0 or >= 1");
        }
    }

    /** The protocol called {@code name} (case-insensitive). */
    public static ProbeProtocol named(String name) {
        Choices.Probe p = Labelled.find(Choices.Probe.class, name);
        if (p == null) {
            throw new UserException("--protocol: unknown probe protocol '" + name
                    + "' (expected " + String.join(", ", NAMES) + ")");
        }
        return switch (p) {
            case CIFAR -> CIFAR;
            case MSF -> MSF;
            case DSSL_CIFAR -> DSSL_CIFAR;
            case DSSL_IMAGENET -> DSSL_IMAGENET;
            case FAST -> FAST;
        };
    }

    /**
     * Learning rate of 0-based {@code epoch}: the per-epoch cosine {@code lr · 0.5 · (1 + cos(pi · epoch /
     * epochs))}, or {@code lr · gamma^(number of milestones <= epoch)}.
     */
    public double lrAt(int epoch) {
        if (cosine) {
            return lr * 0.5 * (1 + Math.cos(Math.PI * epoch / epochs));
        }
        double v = lr;
        for (int m : milestones) {
            if (epoch >= m) {
                v *= gamma;
            }
        }
        return v;
    }

    /** The training augmentation for views of side {@code size}: RandomResizedCrop(size, cropScale–1) + flip. */
    public RandomTransform trainAugment(int size) {
        return new RandomResizedCrop(size, cropScale, 1.0, cropFilter).then(new RandomHorizontalFlip(0.5));
    }

    /**
     * The test transform for views of side {@code size} on {@code test}: {@code Resize + CenterCrop} when
     * the protocol resizes; otherwise, for streamed full-resolution pictures, the ImageNet geometry
     * ({@link TestTransform#resizeCenterCrop}); for in-memory sets a centre crop when the images are larger
     * than the view, else the image as it is; then ToTensor + Normalize.
     */
    public TestTransform testTransform(Normalization norm, int size, ImageSet test) {
        if (testResize > 0) {
            ImageOp resize = new Resize(resizeSide(size), testFilter);
            ImageOp crop = new CenterCrop(size);
            return new TestTransform(norm, img -> crop.apply(resize.apply(img)));
        }
        if (test.fullResolution()) {
            return TestTransform.resizeCenterCrop(norm, size);
        }
        Image first = test.size() > 0 ? test.rgb(0) : null;
        return first != null && (first.height() > size || first.width() > size)
                ? TestTransform.centerCrop(norm, size) : TestTransform.plain(norm);
    }

    /** The shorter side of the test resize for views of side {@code size} (36 for 32 under dssl-cifar). */
    public int resizeSide(int size) {
        return (int) Math.round(size * testResize);
    }

    /**
     * This protocol with another epoch count; milestones keep their relative position
     * (e.g. cifar with 10 epochs decays at 6 and 8).
     */
    public ProbeProtocol withEpochs(int newEpochs) {
        if (newEpochs <= 0) {
            throw new UserException("--epochs: must be positive, got " + newEpochs);
        }
        List<Integer> scaled = milestones.stream()
                .map(m -> (int) Math.round((double) m * newEpochs / epochs)).toList();
        return new ProbeProtocol(name, augment, standardize, lr, momentum, nesterov, weightDecay, larcTrust, newEpochs,
                cosine, scaled, gamma, batchSize, initStd, cropScale, cropFilter, testResize, testFilter);
    }

    /** This protocol with another batch size (the learning rate is not rescaled). */
    public ProbeProtocol withBatchSize(int newBatchSize) {
        if (newBatchSize <= 0) {
            throw new UserException("--batch-size: must be positive, got " + newBatchSize);
        }
        return new ProbeProtocol(name, augment, standardize, lr, momentum, nesterov, weightDecay, larcTrust, epochs,
                cosine, milestones, gamma, newBatchSize, initStd, cropScale, cropFilter, testResize, testFilter);
    }
}
