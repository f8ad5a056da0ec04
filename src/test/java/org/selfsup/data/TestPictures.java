package org.selfsup.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Small photo-like JPEG and PNG files of given sizes for folder, shard and streaming tests. */
public final class TestPictures {
    private TestPictures() {}

    /** A w x h picture: smooth gradients plus a seed-dependent pattern (so images differ). */
    public static BufferedImage picture(int w, int h, int seed) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int r = (x * 255 / Math.max(1, w - 1) + seed * 37) & 0xFF;
                int g = (y * 255 / Math.max(1, h - 1) + seed * 11) & 0xFF;
                int b = ((x ^ y) * 5 + seed * 53) & 0xFF;
                img.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return img;
    }

    /** Writes a JPEG of w x h (creating folders). */
    public static Path jpeg(Path file, int w, int h, int seed) {
        return write(file, picture(w, h, seed), "jpg");
    }

    /** Writes a PNG of w x h (creating folders). */
    public static Path png(Path file, int w, int h, int seed) {
        return write(file, picture(w, h, seed), "png");
    }

    /**
     * An image folder {@code root/train/cK/iN.jpg} (and {@code root/val/...} when {@code val > 0}) with
     * {@code perClass} pictures per class of varying sizes around w x h.
     */
    public static Path folder(Path root, int classes, int perClass, int val, int w, int h) {
        int seed = 0;
        for (int c = 0; c < classes; c++) {
            for (int i = 0; i < perClass; i++) {
                jpeg(root.resolve("train/c" + c + "/i" + i + ".jpg"), w + (seed % 5) * 3, h + (seed % 3) * 4, seed++);
            }
            for (int i = 0; i < val; i++) {
                jpeg(root.resolve("val/c" + c + "/v" + i + ".jpg"), w + (seed % 4) * 2, h, seed++);
            }
        }
        return root;
    }

    private static Path write(Path file, BufferedImage img, String format) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            if (!ImageIO.write(img, format, file.toFile())) {
                throw new IOException("no " + format + " writer");
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
