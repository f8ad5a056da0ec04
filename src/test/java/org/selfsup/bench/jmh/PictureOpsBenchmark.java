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
import org.selfsup.augment.ops.Hue;
import org.selfsup.augment.ops.ResizedCrop;
import org.selfsup.augment.ops.Saturation;
import org.selfsup.augment.ops.Sharpness;
import org.selfsup.data.Image;
import org.selfsup.data.readers.PhotoLikePictures;

/**
 * The hot PIL-exact operations at ImageNet geometry, one thread, microseconds per call: a
 * RandomResizedCrop of a photo-like 500x375 picture to 224x224, and the colour and blur ops of the
 * aggressive add-on on the 224x224 view (typical parameter draws). The per-op times explain
 * {@code selfsup bench aug --dataset imagefolder --size 224}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class PictureOpsBenchmark {
    private Image picture;
    private Image view;
    private final ImageOp resizedCrop = new ResizedCrop(40, 60, 300, 350, 224);
    private final ImageOp brightness = new Brightness(1.3);
    private final ImageOp contrast = new Contrast(0.7);
    private final ImageOp saturation = new Saturation(1.35);
    private final ImageOp hue = new Hue(0.07);
    private final ImageOp blur = new GaussianBlur(1.05);
    private final ImageOp sharpness = new Sharpness(1.54);

    @Setup
    public void setUp() {
        picture = PhotoLikePictures.draw(500, 375, new SplittableRandom(7));
        view = resizedCrop.apply(picture);
    }

    /** A 350x300 crop of the 500x375 picture resized to 224x224 (bilinear, antialiased, PIL fixed point). */
    @Benchmark
    public Image resizedCrop224() {
        return resizedCrop.apply(picture);
    }

    @Benchmark
    public Image brightness224() {
        return brightness.apply(view);
    }

    @Benchmark
    public Image contrast224() {
        return contrast.apply(view);
    }

    @Benchmark
    public Image saturation224() {
        return saturation.apply(view);
    }

    @Benchmark
    public Image hue224() {
        return hue.apply(view);
    }

    /** RandAugment's Sharpness at magnitude 9 (factor 1 + 0.54). */
    @Benchmark
    public Image sharpness224() {
        return sharpness.apply(view);
    }

    /** Pillow GaussianBlur(radius 1.05), the middle of the recipes' sigma range 0.1-2. */
    @Benchmark
    public Image gaussianBlur224() {
        return blur.apply(view);
    }
}
