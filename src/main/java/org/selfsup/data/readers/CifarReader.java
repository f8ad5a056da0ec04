package org.selfsup.data.readers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.selfsup.data.BinaryFiles;
import org.selfsup.data.DataOptions;
import org.selfsup.data.DatasetDefinition;
import org.selfsup.data.ImageStore;
import org.selfsup.data.Normalization;
import org.selfsup.util.UserException;

/**
 * Reader for the binary versions of CIFAR-10 and CIFAR-100.
 *
 * <p>CIFAR-10 ({@code data_batch_1.bin} .. {@code data_batch_5.bin}, {@code test_batch.bin}): records of
 * 1 label byte + 3072 pixel bytes. CIFAR-100 ({@code train.bin}, {@code test.bin}): 1 coarse label byte +
 * 1 fine label byte + 3072 pixel bytes. Pixels are planar: the 1024 red values of the 32x32 image in
 * row-major order, then green, then blue; they are converted to HWC. The directory may be the folder the
 * official archive extracts to ({@code cifar-10-batches-bin/}, {@code cifar-100-binary/}) or its parent.
 */
public final class CifarReader {
    /** Side length of CIFAR images. */
    public static final int SIZE = 32;
    private static final int PIXELS = SIZE * SIZE * 3;

    /** The standard CIFAR-10 class names (used when {@code batches.meta.txt} is absent). */
    public static final List<String> CIFAR10_CLASSES = List.of(
            "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

    /** CIFAR-10, binary version. */
    public static final DatasetDefinition CIFAR10_DATASET = DatasetDefinition.named("cifar10")
            .files("cifar-10-batches-bin/").viewSize(SIZE).normalization(Normalization.CIFAR)
            .download(Downloads::cifar10)
            .reader((dir, o) -> DatasetDefinition.Splits.of(cifar10(dir, "train"), cifar10(dir, "test")));

    /** CIFAR-100, binary version (fine labels, or coarse with {@link DataOptions#coarseLabels}). */
    public static final DatasetDefinition CIFAR100_DATASET = DatasetDefinition.named("cifar100")
            .files("cifar-100-binary/").viewSize(SIZE).normalization(Normalization.CIFAR)
            .download(Downloads::cifar100)
            .reader((dir, o) -> DatasetDefinition.Splits.of(cifar100(dir, "train", o.coarseLabels),
                    cifar100(dir, "test", o.coarseLabels)));

    private CifarReader() {}

    /** CIFAR-10 split {@code train} (the five data batches in order) or {@code test}. */
    public static ImageStore cifar10(Path dir, String split) {
        Path d = BinaryFiles.maybeSub(BinaryFiles.requireDirectory(dir, "cifar10"), "cifar-10-batches-bin");
        List<String> names = BinaryFiles.classNames(d.resolve("batches.meta.txt"), CIFAR10_CLASSES);
        List<Path> files = new ArrayList<>();
        switch (split) {
            case "train" -> {
                for (int b = 1; b <= 5; b++) {
                    files.add(d.resolve("data_batch_" + b + ".bin"));
                }
            }
            case "test" -> files.add(d.resolve("test_batch.bin"));
            default -> throw new UserException("cifar10: unknown split '" + split + "' (valid: train, test)");
        }
        return readRecords("cifar10/" + split, files, 1, 0, names);
    }

    /** CIFAR-100 split {@code train} or {@code test}, with fine (100) or coarse (20) labels. */
    public static ImageStore cifar100(Path dir, String split, boolean coarse) {
        Path d = BinaryFiles.maybeSub(BinaryFiles.requireDirectory(dir, "cifar100"), "cifar-100-binary");
        if (!split.equals("train") && !split.equals("test")) {
            throw new UserException("cifar100: unknown split '" + split + "' (valid: train, test)");
        }
        List<String> fallback = numbered(coarse ? 20 : 100);
        List<String> names = BinaryFiles.classNames(
                d.resolve(coarse ? "coarse_label_names.txt" : "fine_label_names.txt"), fallback);
        return readRecords("cifar100/" + split, List.of(d.resolve(split + ".bin")), 2, coarse ? 0 : 1, names);
    }

    /**
     * Reads fixed-size records of {@code labelBytes} label bytes + 3072 planar pixel bytes.
     *
     * @param labelIndex which of the label bytes is the label
     */
    static ImageStore readRecords(String name, List<Path> files, int labelBytes, int labelIndex, List<String> classNames) {
        int record = labelBytes + PIXELS;
        List<byte[]> pixels = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (Path f : files) {
            byte[] data;
            try {
                data = Files.readAllBytes(BinaryFiles.requireFile(f));
            } catch (IOException e) {
                throw new UserException(f + ": cannot read (" + e.getMessage() + ")");
            }
            if (data.length == 0 || data.length % record != 0) {
                throw new UserException(f + ": size " + data.length + " bytes is not a multiple of the "
                        + record + "-byte record (truncated or not a CIFAR binary file)");
            }
            for (int r = 0, n = data.length / record; r < n; r++) {
                int off = r * record;
                int label = data[off + labelIndex] & 0xFF;
                if (label >= classNames.size()) {
                    throw new UserException(f + ": label " + label + " of record " + r + " out of range 0.."
                            + (classNames.size() - 1));
                }
                labels.add(label);
                pixels.add(planarToHwc(data, off + labelBytes, SIZE, SIZE));
            }
        }
        return new ImageStore(name, SIZE, SIZE, 3, pixels.toArray(new byte[0][]),
                labels.stream().mapToInt(Integer::intValue).toArray(), classNames);
    }

    /** Converts 3 row-major channel planes (R, G, B) starting at {@code off} to one HWC array. */
    static byte[] planarToHwc(byte[] src, int off, int h, int w) {
        int plane = h * w;
        byte[] out = new byte[plane * 3];
        for (int c = 0; c < 3; c++) {
            int base = off + c * plane;
            for (int i = 0; i < plane; i++) {
                out[i * 3 + c] = src[base + i];
            }
        }
        return out;
    }

    private static List<String> numbered(int n) {
        List<String> names = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            names.add("class" + i);
        }
        return names;
    }
}
