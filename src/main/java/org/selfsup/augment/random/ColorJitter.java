package org.selfsup.augment.random;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.selfsup.augment.ImageOp;
import org.selfsup.augment.RandomTransform;
import org.selfsup.augment.ops.Brightness;
import org.selfsup.augment.ops.Contrast;
import org.selfsup.augment.ops.Hue;
import org.selfsup.augment.ops.Saturation;
import org.selfsup.data.Image;
import org.selfsup.util.Seeds;

/**
 * torchvision {@code ColorJitter(brightness, contrast, saturation, hue)} on PIL images.
 *
 * <p>Factor ranges as in torchvision: brightness, contrast and saturation factors are uniform in
 * {@code [max(0, 1 - s), 1 + s]}, the hue shift uniform in {@code [-h, h]} ({@code h <= 0.5}); a
 * strength of 0 disables that sub-op. The four sub-ops run in a random order ({@code randperm(4)}),
 * drawn before the factors, which are drawn in the fixed order brightness, contrast, saturation, hue.
 */
public final class ColorJitter implements RandomTransform {
    /** Sub-op indices as in torchvision's {@code fn_idx}. */
    public static final int BRIGHTNESS = 0;
    public static final int CONTRAST = 1;
    public static final int SATURATION = 2;
    public static final int HUE = 3;

    private final double brightness;
    private final double contrast;
    private final double saturation;
    private final double hue;

    public ColorJitter(double brightness, double contrast, double saturation, double hue) {
        if (brightness < 0 || contrast < 0 || saturation < 0) {
            throw new IllegalArgumentException("colour jitter strengths must be >= 0");
        }
        if (!(hue >= 0 && hue <= 0.5)) {
            throw new IllegalArgumentException("hue jitter must be in [0, 0.5]: " + hue);
        }
        this.brightness = brightness;
        this.contrast = contrast;
        this.saturation = saturation;
        this.hue = hue;
    }

    /**
     * The sampled order and factors. A factor is {@code NaN} when its sub-op is disabled (strength 0).
     *
     * @param order permutation of {@code 0..3} (BRIGHTNESS, CONTRAST, SATURATION, HUE)
     */
    public record Params(int[] order, double brightness, double contrast, double saturation, double hue) {
        /** The factor of sub-op {@code k}, NaN if disabled. */
        public double factor(int k) {
            return switch (k) {
                case BRIGHTNESS -> brightness;
                case CONTRAST -> contrast;
                case SATURATION -> saturation;
                case HUE -> hue;
                default -> throw new IllegalArgumentException("sub-op " + k);
            };
        }
    }

    /** Samples the order and the factors (torchvision {@code get_params}). */
    public Params sample(SplittableRandom rng) {
        int[] order = Seeds.permutation(4, rng);
        double b = brightness > 0 ? RandomResizedCrop.uniform(rng, Math.max(0, 1 - brightness), 1 + brightness) : Double.NaN;
        double c = contrast > 0 ? RandomResizedCrop.uniform(rng, Math.max(0, 1 - contrast), 1 + contrast) : Double.NaN;
        double s = saturation > 0 ? RandomResizedCrop.uniform(rng, Math.max(0, 1 - saturation), 1 + saturation) : Double.NaN;
        double h = hue > 0 ? RandomResizedCrop.uniform(rng, -hue, hue) : Double.NaN;
        return new Params(order, b, c, s, h);
    }

    /** The ops for {@code p}, in application order (disabled sub-ops left out). */
    public static List<ImageOp> ops(Params p) {
        List<ImageOp> ops = new ArrayList<>(4);
        for (int k : p.order()) {
            double f = p.factor(k);
            if (Double.isNaN(f)) {
                continue;
            }
            ops.add(switch (k) {
                case BRIGHTNESS -> new Brightness(f);
                case CONTRAST -> new Contrast(f);
                case SATURATION -> new Saturation(f);
                default -> new Hue(f);
            });
        }
        return ops;
    }

    @Override
    public Image apply(Image in, SplittableRandom rng) {
        Image out = in;
        for (ImageOp op : ops(sample(rng))) {
            out = op.apply(out);
        }
        return out;
    }

}
