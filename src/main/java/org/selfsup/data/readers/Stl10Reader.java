package org.selfsup.data.readers;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.selfsup.data.BinaryFiles;
import org.selfsup.data.DatasetDefinition;
import org.selfsup.data.ImageStore;
import org.selfsup.data.Normalization;
import org.selfsup.util.UserException;

/**
 * Reader for the binary version of STL-10 ({@code stl10_binary/}).
 *
 * <p>{@code *_X.bin} holds 96x96x3 images of 27,648 bytes each, one channel plane after the other, and
 * within a plane column-major (byte index = c*96*96 + x*96 + y, as MATLAB writes it); they are converted to
 * HWC. {@code *_y.bin} holds one label byte 1..10 per image, mapped to 0..9. Splits: {@code train} (5,000),
 * {@code test} (8,000), {@code unlabeled} (100,000, labels -1; a smaller file whose size is a multiple of
 * the record size is accepted) and {@code train+unlabeled} (RSA's pretraining set). Files are streamed
 * record by record, so the 2.7 GB unlabelled file never needs one big array.
 */
public final class Stl10Reader {
    /** Side length of STL-10 images. */
    public static final int SIZE = 96;
    private static final int RECORD = SIZE * SIZE * 3;

    /** The STL-10 class names (used when {@code class_names.txt} is absent). */
    public static final List<String> CLASSES = List.of(
            "airplane", "bird", "car", "cat", "deer", "dog", "horse", "monkey", "ship", "truck");

    /** STL-10, binary version: pretraining on train+unlabeled (RSA), views of 64 px. */
    public static final DatasetDefinition DATASET = DatasetDefinition.named("stl10")
            .files("stl10_binary/ (pretraining on train+unlabeled)").viewSize(64).normalization(Normalization.STL10)
            .download(Downloads::stl10)
            .reader((dir, o) -> {
                ImageStore train = read(dir, "train");
                ImageStore unlabeled = read(dir, "unlabeled");
                ImageStore test = read(dir, "test");
                return DatasetDefinition.Splits.of(train, test)
                        .withPretrain(ImageStore.concat("stl10/train+unlabeled", train, unlabeled));
            });

    private Stl10Reader() {}

    /** Reads {@code split}: train, test, unlabeled or train+unlabeled. */
    public static ImageStore read(Path dir, String split) {
        Path d = BinaryFiles.maybeSub(BinaryFiles.requireDirectory(dir, "stl10"), "stl10_binary");
        List<String> names = BinaryFiles.classNames(d.resolve("class_names.txt"), CLASSES);
        return switch (split) {
            case "train", "test" -> labelled(d, split, names);
            case "unlabeled" -> unlabeled(d, names);
            case "train+unlabeled" -> ImageStore.concat("stl10/train+unlabeled", labelled(d, "train", names),
                    unlabeled(d, names));
            default -> throw new UserException("stl10: unknown split '" + split
                    + "' (valid: train, test, unlabeled, train+unlabeled)");
        };
    }

    private static ImageStore labelled(Path d, String split, List<String> names) {
        Path xf = d.resolve(split + "_X.bin");
        Path yf = d.resolve(split + "_y.bin");
        byte[][] pixels = readImages(xf);
        byte[] y;
        try {
            y = Files.readAllBytes(BinaryFiles.requireFile(yf));
        } catch (IOException e) {
            throw new UserException(yf + ": cannot read (" + e.getMessage() + ")");
        }
        if (y.length != pixels.length) {
            throw new UserException(yf + ": " + y.length + " labels but " + xf.getFileName() + " has "
                    + pixels.length + " images");
        }
        int[] labels = new int[y.length];
        for (int i = 0; i < y.length; i++) {
            int l = y[i] & 0xFF;
            if (l < 1 || l > names.size()) {
                throw new UserException(yf + ": label " + l + " of image " + i + " out of range 1.." + names.size());
            }
            labels[i] = l - 1;
        }
        return new ImageStore("stl10/" + split, SIZE, SIZE, 3, pixels, labels, names);
    }

    private static ImageStore unlabeled(Path d, List<String> names) {
        byte[][] pixels = readImages(d.resolve("unlabeled_X.bin"));
        int[] labels = new int[pixels.length];
        java.util.Arrays.fill(labels, -1);
        return new ImageStore("stl10/unlabeled", SIZE, SIZE, 3, pixels, labels, names);
    }

    private static byte[][] readImages(Path file) {
        BinaryFiles.requireFile(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size == 0 || size % RECORD != 0) {
                throw new UserException(file + ": size " + size + " bytes is not a multiple of the " + RECORD
                        + "-byte image record (truncated or not an STL-10 binary file)");
            }
            int n = (int) (size / RECORD);
            BinaryFiles.requireHeap(file.toString(), size);
            byte[][] out = new byte[n][];
            ByteBuffer buf = ByteBuffer.allocate(RECORD);
            for (int i = 0; i < n; i++) {
                buf.clear();
                while (buf.hasRemaining()) {
                    if (ch.read(buf) < 0) {
                        throw new UserException(file + ": truncated at image " + i);
                    }
                }
                out[i] = columnMajorToHwc(buf.array());
            }
            return out;
        } catch (IOException e) {
            throw new UserException(file + ": cannot read (" + e.getMessage() + ")");
        }
    }

    /** Converts one STL-10 record (index c*96*96 + x*96 + y) to HWC (index (y*96 + x)*3 + c). */
    static byte[] columnMajorToHwc(byte[] src) {
        byte[] out = new byte[RECORD];
        int plane = SIZE * SIZE;
        for (int c = 0; c < 3; c++) {
            for (int x = 0; x < SIZE; x++) {
                int s = c * plane + x * SIZE;
                for (int y = 0; y < SIZE; y++) {
                    out[(y * SIZE + x) * 3 + c] = src[s + y];
                }
            }
        }
        return out;
    }
}
