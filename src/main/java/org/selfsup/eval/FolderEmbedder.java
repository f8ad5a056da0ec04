package org.selfsup.eval;

import ai.djl.ndarray.NDManager;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.selfsup.data.Image;
import org.selfsup.data.ImageDecoding;
import org.selfsup.data.Normalization;
import org.selfsup.util.AtomicFiles;
import org.selfsup.util.UserException;

/**
 * Embeds every PNG/JPEG file under a folder (recursively, in path order) and writes one CSV row per
 * image: its path relative to the folder, then the feature values.
 */
public final class FolderEmbedder {
    private final FeatureExtractor extractor;
    private final int inputSize;
    private final Normalization norm;
    private final boolean l2Normalise;

    /**
     * @param encoder     the frozen encoder
     * @param inputSize   images are resized (shorter side) and centre-cropped to this side
     * @param norm        normalisation of the training data
     * @param batchSize   images per forward pass
     * @param l2Normalise whether rows are divided by their L2 norm
     */
    public FolderEmbedder(FeatureEncoder encoder, int inputSize, Normalization norm, int batchSize,
                          boolean l2Normalise) {
        this.extractor = new FeatureExtractor(encoder, batchSize);
        this.inputSize = inputSize;
        this.norm = norm;
        this.l2Normalise = l2Normalise;
    }

    /** The image files under {@code dir}, sorted. */
    public static List<Path> imageFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new UserException("--images: " + dir + ": not a directory");
        }
        try (Stream<Path> s = Files.walk(dir)) {
            List<Path> files = s.filter(Files::isRegularFile).filter(p -> {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg");
            }).sorted().toList();
            if (files.isEmpty()) {
                throw new UserException("--images: " + dir + ": no .png, .jpg or .jpeg files");
            }
            return files;
        } catch (IOException e) {
            throw new UserException("--images: cannot list " + dir + ": " + e.getMessage());
        }
    }

    /**
     * Writes the CSV atomically (temporary sibling, then rename).
     *
     * @return the number of images embedded
     */
    public int embed(NDManager manager, Path dir, Path csv) {
        List<Path> files = imageFiles(dir);
        Image[] images = new Image[files.size()];
        for (int i = 0; i < files.size(); i++) {
            try {
                images[i] = new Image(inputSize, inputSize, 3, ImageDecoding.decodeResized(files.get(i), inputSize));
            } catch (IOException e) {
                throw new UserException("--images: " + files.get(i) + ": " + e.getMessage());
            }
        }
        FeatureMatrix f = extractor.extract(manager, images.length, i -> images[i], norm, l2Normalise);
        try {
            AtomicFiles.write(csv, out -> {
                BufferedWriter w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
                w.write("path");
                for (int d = 0; d < f.dim(); d++) {
                    w.write(",f" + d);
                }
                w.newLine();
                for (int i = 0; i < files.size(); i++) {
                    w.write(csvCell(dir.relativize(files.get(i)).toString()));
                    for (float v : f.row(i)) {
                        w.write(',');
                        w.write(Float.toString(v));
                    }
                    w.newLine();
                }
                w.flush();
            });
        } catch (IOException e) {
            throw new UserException("--out: cannot write " + csv + ": " + org.selfsup.util.IoMessages.reason(e));
        }
        return files.size();
    }

    private static String csvCell(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
