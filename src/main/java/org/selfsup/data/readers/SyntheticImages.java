package org.selfsup.data.readers;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.selfsup.data.DataOptions;
import org.selfsup.data.DatasetDefinition;
import org.selfsup.data.ImageStats;
import org.selfsup.data.ImageStore;
import org.selfsup.util.Seeds;

/**
 * A deterministic generator of labelled RGB images for tests and smoke runs.
 *
 * <p>Each class has its own shape (disc, square, ring, horizontal bars, vertical bars, cross, ...) and
 * its own hue, drawn at a random position and scale on a noisy, dim background, with a per-class stripe
 * texture inside the shape. Classes are therefore separable by colour and by shape, so a kNN classifier on
 * raw pixels, a random encoder or a trained one beats chance clearly. Image {@code i} has label
 * {@code i % classes} and depends only on (seed, split key, i): the output never depends on thread count.
 */
public final class SyntheticImages {
    private static final int SHAPES = 6;
    /** Stream key that keeps the generator's draws apart from every other use of the seed. */
    private static final long KEY = 0x53594e5448L;

    /**
     * Generated images ({@link DataOptions}' synthetic counts, classes, size and seed), normalised by their own
     * statistics; views of the images' size.
     */
    public static final DatasetDefinition DATASET = DatasetDefinition.named("synthetic")
            .files("none (generated)").viewSize(32).dataDirOptional()
            .reader((dir, o) -> {
                ImageStore train = generate("synthetic/train", o.syntheticTrain, o.syntheticClasses, o.syntheticSize,
                        o.syntheticSeed, 0);
                ImageStore test = generate("synthetic/test", o.syntheticTest, o.syntheticClasses, o.syntheticSize,
                        o.syntheticSeed, 1);
                return DatasetDefinition.Splits.of(train, test).withNormalization(ImageStats.normalizationOf(train))
                        .withViewSize(o.syntheticSize);
            });

    private SyntheticImages() {}

    /**
     * Generates a store.
     *
     * @param name     store name, e.g. {@code "synthetic/train"}
     * @param count    number of images
     * @param classes  number of classes (labels {@code i % classes})
     * @param size     image side length
     * @param seed     generator seed
     * @param splitKey distinguishes splits with the same seed (e.g. 0 train, 1 test)
     */
    public static ImageStore generate(String name, int count, int classes, int size, long seed, long splitKey) {
        if (count < 0 || classes < 1 || size < 4) {
            throw new IllegalArgumentException("synthetic: need count >= 0, classes >= 1, size >= 4");
        }
        byte[][] pixels = new byte[count][];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = i % classes;
            pixels[i] = draw(labels[i], size, Seeds.stream(seed, KEY, splitKey, i));
        }
        List<String> names = new ArrayList<>(classes);
        for (int c = 0; c < classes; c++) {
            names.add("class" + c);
        }
        return new ImageStore(name, size, size, 3, pixels, labels, names);
    }

    private static byte[] draw(int label, int size, SplittableRandom rng) {
        int shape = label % SHAPES;
        // Golden-ratio hue steps give well separated colours for any class count.
        double hue = (label * 0.6180339887) % 1.0;
        int[] fg = hsvToRgb(hue, 0.85, 0.95);
        int stripePeriod = 2 + (label / SHAPES) % 3;
        double cx = size * (0.35 + 0.3 * rng.nextDouble());
        double cy = size * (0.35 + 0.3 * rng.nextDouble());
        double r = size * (0.2 + 0.15 * rng.nextDouble());
        int[] bg = {rng.nextInt(60), rng.nextInt(60), rng.nextInt(60)};
        byte[] out = new byte[size * size * 3];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double dx = x + 0.5 - cx;
                double dy = y + 0.5 - cy;
                boolean inside = switch (shape) {
                    case 0 -> dx * dx + dy * dy <= r * r;
                    case 1 -> Math.abs(dx) <= r * 0.8 && Math.abs(dy) <= r * 0.8;
                    case 2 -> {
                        double d = Math.sqrt(dx * dx + dy * dy);
                        yield d <= r && d >= r * 0.55;
                    }
                    case 3 -> Math.abs(dx) <= r && Math.abs(dy) <= r && ((int) Math.floor((dy + r) / (r / 2.5))) % 2 == 0;
                    case 4 -> Math.abs(dx) <= r && Math.abs(dy) <= r && ((int) Math.floor((dx + r) / (r / 2.5))) % 2 == 0;
                    default -> (Math.abs(dx) <= r * 0.3 && Math.abs(dy) <= r) || (Math.abs(dy) <= r * 0.3 && Math.abs(dx) <= r);
                };
                boolean stripe = ((x + y) / stripePeriod) % 2 == 0;
                int o = (y * size + x) * 3;
                for (int c = 0; c < 3; c++) {
                    int v = inside ? (stripe ? fg[c] : fg[c] * 3 / 4) : bg[c];
                    v += rng.nextInt(21) - 10;
                    out[o + c] = (byte) Math.max(0, Math.min(255, v));
                }
            }
        }
        return out;
    }

    private static int[] hsvToRgb(double h, double s, double v) {
        double hh = h * 6;
        int i = (int) Math.floor(hh) % 6;
        double f = hh - Math.floor(hh);
        double p = v * (1 - s);
        double q = v * (1 - s * f);
        double t = v * (1 - s * (1 - f));
        double[] rgb = switch (i) {
            case 0 -> new double[] {v, t, p};
            case 1 -> new double[] {q, v, p};
            case 2 -> new double[] {p, v, t};
            case 3 -> new double[] {p, q, v};
            case 4 -> new double[] {t, p, v};
            default -> new double[] {v, p, q};
        };
        return new int[] {(int) Math.round(rgb[0] * 255), (int) Math.round(rgb[1] * 255), (int) Math.round(rgb[2] * 255)};
    }
}
