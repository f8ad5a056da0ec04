package org.selfsup.data.readers;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.selfsup.data.BinaryFiles;
import org.selfsup.data.DataOptions;
import org.selfsup.data.Dataset;
import org.selfsup.data.DatasetDefinition;
import org.selfsup.data.Normalization;
import org.selfsup.data.stream.ImageFolderReader;
import org.selfsup.data.stream.ListFileReader;
import org.selfsup.data.stream.PreresizedStore;
import org.selfsup.data.stream.StreamedImages;
import org.selfsup.data.stream.TarShards;
import org.selfsup.util.Names;
import org.selfsup.util.UserException;

/**
 * The data sets, one {@link DatasetDefinition} each (declared in its reader's file): every data set list,
 * flag help, the evaluation's normalisation and view size read this one list, and {@link #load} reads a data
 * set by name. Adding a data set is adding its reader's file and one line to {@link #ALL}.
 */
public final class DatasetRegistry {
    /** Every data set, in listing order: one line per data set (an array, so every line ends alike). */
    public static final List<DatasetDefinition> ALL = List.of(new DatasetDefinition[] {
        IdxReader.FASHION_MNIST_DATASET,
        IdxReader.MNIST_DATASET,
        CifarReader.CIFAR10_DATASET,
        CifarReader.CIFAR100_DATASET,
        Stl10Reader.DATASET,
        TinyImageNetReader.DATASET,
        ImageFolderReader.DATASET,
        ListFileReader.DATASET,
        TarShards.DATASET,
        SyntheticImages.DATASET,
    });

    /** Valid data set names. */
    public static final List<String> NAMES = ALL.stream().map(DatasetDefinition::name).toList();

    /** The data sets read from files as they are needed ({@link StreamedImages}), which a pre-resized store can speed up. */
    public static final List<String> STREAMED = ALL.stream().filter(DatasetDefinition::streamed)
            .map(DatasetDefinition::name).toList();

    /** The data sets {@code --download} can fetch. */
    public static final List<String> DOWNLOADABLE = ALL.stream().filter(DatasetDefinition::downloadable)
            .map(DatasetDefinition::name).toList();

    private DatasetRegistry() {}

    /**
     * The definition called {@code name}.
     *
     * @throws UserException for an unknown name, listing the valid names
     */
    public static DatasetDefinition get(String name) {
        String n = checkName(name);
        return ALL.stream().filter(d -> d.name().equals(n)).findFirst().orElseThrow();
    }

    /**
     * Loads a data set.
     *
     * @param name    one of {@link #NAMES}
     * @param dataDir its directory; may be null for data sets that need none (the embedded
     *                {@code fashion-mnist} subset, {@code synthetic}), and with {@code download} (then
     *                {@code <cache-dir>/datasets/NAME})
     * @param opts    options; null = defaults
     * @throws UserException for an unknown name or bad/missing files
     */
    public static Dataset load(String name, Path dataDir, DataOptions opts) {
        DataOptions o = opts != null ? opts : new DataOptions();
        DatasetDefinition d = get(name);
        String n = d.name();
        if (o.imageSize < 0) {
            throw new UserException("--image-size must be >= 0 (0 = the data set's default), got " + o.imageSize);
        }
        PreresizedStore.checkMaxSide(o.preresizeMaxSide);
        if (o.preresizeMaxSide != 0 && !d.streamed()) {
            throw new UserException("--preresize-max-side applies to the streamed data sets (" + String.join(", ", STREAMED)
                    + "), not '" + n + "'");
        }
        Path dir = dataDir;
        if (o.download && d.downloadable()) {
            if (dir == null) {
                dir = o.effectiveCacheDir().resolve("datasets").resolve(n);
            }
            d.download().ensure(dir);
        } else if (o.download) {
            throw new UserException("--download is not available for '" + n + "' (available for: "
                    + String.join(", ", DOWNLOADABLE) + ")");
        }
        if (d.needsDir()) {
            dir = requireDir(n, dir);
        }
        DatasetDefinition.Splits s = d.reader().read(dir, o);
        Normalization norm = d.fixedNormalization() ? d.normalization() : s.normalization();
        if (norm == null) {
            throw new IllegalStateException(n + ": the reader returned no normalisation and the definition has none");
        }
        int viewSize = o.imageSize > 0 ? o.imageSize : s.viewSize() > 0 ? s.viewSize() : d.viewSize();
        return new Dataset(n, s.pretrain(), s.train(), s.test(), norm, viewSize);
    }

    /** The view size used when {@code --image-size} is 0. */
    public static int defaultViewSize(String name) {
        return get(name).viewSize();
    }

    /** Returns {@code name} if valid, else throws a UserException listing the valid names. */
    public static String checkName(String name) {
        if (name != null && NAMES.contains(name)) {
            return name;
        }
        String best = name == null ? null : Names.closest(name.toLowerCase(Locale.ROOT), NAMES);
        String hint = best == null ? "" : "; did you mean '" + best + "'?";
        throw new UserException("--dataset: unknown data set '" + name + "' (valid: " + String.join(", ", NAMES) + ")" + hint);
    }

    private static Path requireDir(String n, Path dir) {
        if (dir == null) {
            throw new UserException("--data-dir is required for data set '" + n + "'");
        }
        return BinaryFiles.requireDirectory(dir, n);
    }
}
