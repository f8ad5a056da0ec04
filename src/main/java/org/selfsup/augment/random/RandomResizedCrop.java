package org.selfsup.augment.random;

import java.util.SplittableRandom;
import org.selfsup.augment.RandomTransform;
import org.selfsup.augment.ops.Resampling;
import org.selfsup.augment.ops.ResizedCrop;
import org.selfsup.data.Image;

/**
 * torchvision {@code RandomResizedCrop(size, scale=(scaleMin, scaleMax), ratio=(3/4, 4/3))} with
 * bilinear (default) or bicubic PIL resampling to {@code size x size}.
 *
 * <p>Sampling follows torchvision 0.9–0.14 {@code get_params} exactly: up to 10 tries of an area
 * fraction uniform in the scale range and an aspect ratio log-uniform in the ratio range, rounded
 * with Python's {@code round} (half to even); a try is accepted when the box fits in the image. If all
 * 10 tries fail, the fallback is a centred crop of the whole image clamped to the ratio range.
 */
public final class RandomResizedCrop implements RandomTransform {
    /** torchvision's default aspect-ratio range (3/4, 4/3). */
    public static final double RATIO_MIN = 3.0 / 4.0;
    public static final double RATIO_MAX = 4.0 / 3.0;
    private static final int TRIES = 10;

    private final int size;
    private final double scaleMin;
    private final double scaleMax;
    private final double ratioMin;
    private final double ratioMax;
    private final Resampling filter;

    /** A bilinear crop with torchvision's default ratio range (3/4, 4/3). */
    public RandomResizedCrop(int size, double scaleMin, double scaleMax) {
        this(size, scaleMin, scaleMax, RATIO_MIN, RATIO_MAX, Resampling.BILINEAR);
    }

    /** A crop with torchvision's default ratio range (3/4, 4/3) and the given resampling. */
    public RandomResizedCrop(int size, double scaleMin, double scaleMax, Resampling filter) {
        this(size, scaleMin, scaleMax, RATIO_MIN, RATIO_MAX, filter);
    }

    public RandomResizedCrop(int size, double scaleMin, double scaleMax, double ratioMin, double ratioMax) {
        this(size, scaleMin, scaleMax, ratioMin, ratioMax, Resampling.BILINEAR);
    }

    public RandomResizedCrop(int size, double scaleMin, double scaleMax, double ratioMin, double ratioMax,
                             Resampling filter) {
        if (size <= 0) {
            throw new IllegalArgumentException("crop size must be positive: " + size);
        }
        if (!(0 < scaleMin && scaleMin <= scaleMax && scaleMax <= 1)) {
            throw new IllegalArgumentException("crop scale range must satisfy 0 < min <= max <= 1: " + scaleMin + ".." + scaleMax);
        }
        if (!(0 < ratioMin && ratioMin <= ratioMax)) {
            throw new IllegalArgumentException("crop ratio range must satisfy 0 < min <= max: " + ratioMin + ".." + ratioMax);
        }
        this.size = size;
        this.scaleMin = scaleMin;
        this.scaleMax = scaleMax;
        this.ratioMin = ratioMin;
        this.ratioMax = ratioMax;
        this.filter = java.util.Objects.requireNonNull(filter);
    }

    public int size() { return size; }

    /**
     * Samples the crop box for an image of {@code height x width} (torchvision {@code get_params}).
     * Uses 2 draws per try plus 2 for the accepted box's position.
     */
    public CropBox sampleBox(int height, int width, SplittableRandom rng) {
        double area = (double) height * width;
        double logMin = Math.log(ratioMin);
        double logMax = Math.log(ratioMax);
        for (int t = 0; t < TRIES; t++) {
            double targetArea = area * uniform(rng, scaleMin, scaleMax);
            double aspect = Math.exp(uniform(rng, logMin, logMax));
            int w = (int) Math.rint(Math.sqrt(targetArea * aspect));
            int h = (int) Math.rint(Math.sqrt(targetArea / aspect));
            if (0 < w && w <= width && 0 < h && h <= height) {
                int top = rng.nextInt(height - h + 1);
                int left = rng.nextInt(width - w + 1);
                return new CropBox(top, left, h, w);
            }
        }
        return fallback(height, width);
    }

    /** torchvision's fallback after 10 failed tries: a centred crop with the ratio clamped to the range. */
    CropBox fallback(int height, int width) {
        double inRatio = (double) width / height;
        int w;
        int h;
        if (inRatio < ratioMin) {
            w = width;
            h = (int) Math.rint(w / ratioMin);
        } else if (inRatio > ratioMax) {
            h = height;
            w = (int) Math.rint(h * ratioMax);
        } else {
            w = width;
            h = height;
        }
        return new CropBox((height - h) / 2, (width - w) / 2, h, w);
    }

    @Override
    public Image apply(Image in, SplittableRandom rng) {
        CropBox b = sampleBox(in.height(), in.width(), rng);
        return new ResizedCrop(b.top(), b.left(), b.height(), b.width(), size, size, filter).apply(in);
    }

    static double uniform(SplittableRandom rng, double lo, double hi) {
        return lo + (hi - lo) * rng.nextDouble();
    }
}
