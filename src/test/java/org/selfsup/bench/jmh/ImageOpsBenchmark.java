package org.selfsup.bench.jmh;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.selfsup.augment.ImageOp;
import org.selfsup.augment.ops.Brightness;
import org.selfsup.augment.ops.Contrast;
import org.selfsup.augment.ops.GaussianBlur;
import org.selfsup.augment.ops.Grayscale;
import org.selfsup.augment.ops.HorizontalFlip;
import org.selfsup.augment.ops.Hue;
import org.selfsup.augment.ops.ResizedCrop;
import org.selfsup.augment.ops.Saturation;
import org.selfsup.augment.random.RandAugment;
import org.selfsup.data.Image;
import org.selfsup.data.readers.SyntheticImages;

/**
 * Single-image throughput of the hot PIL-exact operations on a 32x32 RGB image (operations per second,
 * one thread). Parameters are typical draws of the BYOL/RSA recipes; RandAugment(2, 9) samples its ops
 * from a fixed-seed stream, so each call runs a different pair.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class ImageOpsBenchmark {
    private Image image;
    private final ImageOp resizedCrop = new ResizedCrop(3, 5, 24, 20, 32);
    private final ImageOp flip = new HorizontalFlip();
    private final ImageOp brightness = new Brightness(1.3);
    private final ImageOp contrast = new Contrast(0.7);
    private final ImageOp saturation = new Saturation(1.35);
    private final ImageOp hue = new Hue(0.07);
    private final ImageOp grayscale = new Grayscale();
    private final ImageOp blur = new GaussianBlur(1.2);
    private final RandAugment randAugment = new RandAugment(2, 9);
    private SplittableRandom rng;

    @Setup
    public void setUp() {
        image = SyntheticImages.generate("bench", 1, 10, 32, 1, 0).image(0);
        rng = new SplittableRandom(42);
    }

    /** RandomResizedCrop's op: a 24x20 crop resized to 32x32 (bilinear, PIL fixed point). */
    @Benchmark
    public Image resizedCrop32() {
        return resizedCrop.apply(image);
    }

    @Benchmark
    public Image horizontalFlip() {
        return flip.apply(image);
    }

    @Benchmark
    public Image brightness() {
        return brightness.apply(image);
    }

    @Benchmark
    public Image contrast() {
        return contrast.apply(image);
    }

    @Benchmark
    public Image saturation() {
        return saturation.apply(image);
    }

    @Benchmark
    public Image hue() {
        return hue.apply(image);
    }

    @Benchmark
    public Image grayscale() {
        return grayscale.apply(image);
    }

    /** Pillow GaussianBlur(radius 1.2): three box-blur passes per axis. */
    @Benchmark
    public Image gaussianBlur() {
        return blur.apply(image);
    }

    /** DSSL's RandAugment(2, 9): two random ops per call. */
    @Benchmark
    public Image randAugment() {
        return randAugment.apply(image, rng);
    }
}
