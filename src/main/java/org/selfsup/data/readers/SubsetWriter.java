package org.selfsup.data.readers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.selfsup.data.BinaryFiles;
import org.selfsup.data.ImageStore;
import org.selfsup.util.AtomicFiles;

/**
 * Writes the embedded default data set {@code data/fashion-mnist-mini/}: a class-balanced subset of
 * Fashion-MNIST with the first {@code perClassTrain} training and first {@code perClassTest} test images
 * of every class, in file order (so the choice is deterministic and needs no seed), as gzipped IDX
 * files with the official file names.
 *
 * <p>Run: {@code java -cp target/classes org.selfsup.data.readers.SubsetWriter [SOURCE_DIR [OUT_DIR
 * [PER_CLASS_TRAIN [PER_CLASS_TEST]]]]}; defaults {@code /usr/share/datasets/fashion-mnist} (Debian package
 * {@code dataset-fashion-mnist}), {@code data/fashion-mnist-mini}, 1000, 200. The output is reproducible
 * byte for byte.
 */
public final class SubsetWriter {
    private SubsetWriter() {}

    public static void main(String[] args) throws IOException {
        Path src = Path.of(args.length > 0 ? args[0] : "/usr/share/datasets/fashion-mnist");
        Path out = Path.of(args.length > 1 ? args[1] : "data/fashion-mnist-mini");
        int perTrain = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        int perTest = args.length > 3 ? Integer.parseInt(args[3]) : 200;
        write(src, out, perTrain, perTest);
    }

    /** Reads the full IDX set in {@code src} and writes the balanced subset to {@code out}. */
    public static void write(Path src, Path out, int perClassTrain, int perClassTest) throws IOException {
        for (String split : new String[] {"train", "t10k"}) {
            ImageStore full = IdxReader.read("fashion-mnist/" + split,
                    BinaryFiles.firstExisting(src, split + "-images-idx3-ubyte.gz", split + "-images-idx3-ubyte"),
                    BinaryFiles.firstExisting(src, split + "-labels-idx1-ubyte.gz", split + "-labels-idx1-ubyte"),
                    IdxReader.FASHION_MNIST_CLASSES);
            ImageStore subset = firstPerClass(full, split.equals("train") ? perClassTrain : perClassTest);
            byte[][] idx = IdxReader.encode(subset);
            AtomicFiles.writeGzip(out.resolve(split + "-images-idx3-ubyte.gz"), idx[0]);
            AtomicFiles.writeGzip(out.resolve(split + "-labels-idx1-ubyte.gz"), idx[1]);
            System.out.println(split + ": " + subset.size() + " of " + full.size() + " images -> " + out);
        }
    }

    /** The first {@code perClass} images of each class, in their original order. */
    public static ImageStore firstPerClass(ImageStore store, int perClass) {
        int[] taken = new int[store.numClasses()];
        List<Integer> keep = new ArrayList<>();
        for (int i = 0; i < store.size(); i++) {
            int l = store.label(i);
            if (l >= 0 && taken[l] < perClass) {
                taken[l]++;
                keep.add(i);
            }
        }
        for (int c = 0; c < taken.length; c++) {
            if (taken[c] < perClass) {
                throw new IllegalArgumentException(store.name() + ": class " + c + " has only " + taken[c]
                        + " images, " + perClass + " requested");
            }
        }
        return store.subset(store.name(), keep.stream().mapToInt(Integer::intValue).toArray());
    }
}
