package org.selfsup.augment;

import java.util.ArrayList;
import java.util.List;
import org.selfsup.data.Image;
import java.util.SplittableRandom;
import org.selfsup.data.ImageStore;

/** Small synthetic images and stores for the augmentation tests. */
public final class TestImages {
    private TestImages() {}

    /** A smooth-ish random RGB image (gradients plus noise), so ops have structure to work on. */
    public static Image image(int h, int w, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] d = new byte[h * w * 3];
        int a = r.nextInt(256);
        int b = r.nextInt(256);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    int v = (a * (c + 1) + 7 * x * (c + 1) + 5 * y + b + r.nextInt(40)) & 0xFF;
                    d[(y * w + x) * 3 + c] = (byte) v;
                }
            }
        }
        return new Image(h, w, 3, d);
    }

    /** A labelled store of {@code n} synthetic images with {@code channels} channels and 10 classes. */
    public static ImageStore store(int n, int h, int w, int channels, long seed) {
        byte[][] px = new byte[n][];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            Image img = image(h, w, seed * 1000 + i);
            if (channels == 1) {
                byte[] g = new byte[h * w];
                for (int p = 0; p < h * w; p++) {
                    g[p] = img.data()[3 * p];
                }
                px[i] = g;
            } else {
                px[i] = img.data();
            }
            labels[i] = i % 10;
        }
        List<String> classes = new ArrayList<>();
        for (int c = 0; c < 10; c++) {
            classes.add("class" + c);
        }
        return new ImageStore("synthetic", h, w, channels, px, labels, classes);
    }
}
