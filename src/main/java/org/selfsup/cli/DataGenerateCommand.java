package org.selfsup.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.SplittableRandom;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.selfsup.data.readers.PhotoLikePictures;
import org.selfsup.util.AtomicFiles;
import org.selfsup.util.Seeds;
import org.selfsup.util.UserException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code selfsup data generate}: an ImageNet-like image folder for benchmarks ({@code OUT/train/cK/*.jpg}):
 * photo-like JPEGs (smooth random colour fields, edges and sensor-like noise, so they compress like
 * photographs at about 60-100 KB for 500x375 at quality 90), deterministic from the seed.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Write an ImageNet-like folder of photo-like JPEGs (OUT/train/CLASS/*.jpg) for benchmarks.")
public final class DataGenerateCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to write (train/ under it).")
    Path out;

    @Option(names = "--images", defaultValue = "2000", paramLabel = "N", description = "Number of images (default: ${DEFAULT-VALUE}).")
    int images;

    @Option(names = "--classes", defaultValue = "10", paramLabel = "N", description = "Class folders (default: ${DEFAULT-VALUE}).")
    int classes;

    @Option(names = "--width", defaultValue = "500", paramLabel = "PX", description = "Mean width (default: ${DEFAULT-VALUE}; sizes vary by up to 20%%).")
    int width;

    @Option(names = "--height", defaultValue = "375", paramLabel = "PX", description = "Mean height (default: ${DEFAULT-VALUE}).")
    int height;

    @Option(names = "--quality", defaultValue = "90", paramLabel = "Q", description = "JPEG quality 1..100 (default: ${DEFAULT-VALUE}).")
    int quality;

    @Option(names = "--seed", defaultValue = "0", description = "Content seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public void run() {
        if (images < 1 || images > 10_000_000 || classes < 1 || classes > images) {
            throw new UserException("--images must be in 1..10000000 and --classes in 1..images");
        }
        if (width < 8 || height < 8 || width > 4096 || height > 4096) {
            throw new UserException("--width and --height must be in 8..4096");
        }
        if (quality < 1 || quality > 100) {
            throw new UserException("--quality must be in 1..100, got " + quality);
        }
        var console = spec.commandLine().getOut();
        for (int i = 0; i < images; i++) {
            SplittableRandom rng = Seeds.stream(seed, 0x4745, i);
            int w = (int) (width * (0.8 + 0.4 * rng.nextDouble()));
            int h = (int) (height * (0.8 + 0.4 * rng.nextDouble()));
            Path file = out.resolve("train").resolve(String.format(Locale.ROOT, "c%03d", i % classes))
                    .resolve(String.format(Locale.ROOT, "img%07d.jpg", i));
            write(file, picture(w, h, rng));
            if ((i + 1) % 100 == 0 || i + 1 == images) {
                console.printf(Locale.ROOT, "\rgenerated %d/%d images", i + 1, images);
                console.flush();
            }
        }
        console.printf(Locale.ROOT, "%nwrote %s/train (%d classes)%n", out, classes);
        console.flush();
    }

    private static BufferedImage picture(int w, int h, SplittableRandom rng) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, w, h, PhotoLikePictures.drawRgb(w, h, rng), 0, w);
        return img;
    }

    private void write(Path file, BufferedImage img) {
        try {
            Files.createDirectories(file.getParent());
            AtomicFiles.write(file, (OutputStream o) -> {
                Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("jpeg");
                ImageWriter writer = it.next();
                try (ImageOutputStream ios = ImageIO.createImageOutputStream(o)) {
                    writer.setOutput(ios);
                    ImageWriteParam p = writer.getDefaultWriteParam();
                    p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                    p.setCompressionQuality(quality / 100f);
                    writer.write(null, new IIOImage(img, null, null), p);
                } finally {
                    writer.dispose();
                }
            });
        } catch (IOException e) {
            throw new UserException("--out: cannot write " + file + " (" + e.getMessage() + ")");
        }
    }
}
