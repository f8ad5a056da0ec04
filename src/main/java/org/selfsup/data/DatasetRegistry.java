package org.selfsup.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.selfsup.util.Names;
import org.selfsup.util.UserException;

/**
 * Loads data sets by name: the reader, the splits (pretrain/train/test), the normalisation and the view
 * size of each.
 *
 * <table>
 * <caption>Data sets</caption>
 * <tr><th>name</th><th>files under the data directory</th><th>pretrain</th><th>view size</th></tr>
 * <tr><td>fashion-mnist</td><td>IDX files (gz or raw); no directory = the embedded 10k/2k subset</td>
 *     <td>train</td><td>28</td></tr>
 * <tr><td>mnist</td><td>IDX files (gz or raw)</td><td>train</td><td>28</td></tr>
 * <tr><td>cifar10</td><td>{@code cifar-10-batches-bin/}</td><td>train</td><td>32</td></tr>
 * <tr><td>cifar100</td><td>{@code cifar-100-binary/}</td><td>train</td><td>32</td></tr>
 * <tr><td>stl10</td><td>{@code stl10_binary/}</td><td>train+unlabeled</td><td>64</td></tr>
 * <tr><td>tinyimagenet</td><td>{@code wnids.txt}, {@code train/WNID/images/*.JPEG}, {@code val/images/} +
 * {@code val/val_annotations.txt} (in memory)</td><td>train</td><td>64</td></tr>
 * <tr><td>imagefolder</td><td>{@code train/CLASS/*.jpg}, optional {@code val/CLASS/*.jpg} (streamed)</td><td>train</td><td>224</td></tr>
 * <tr><td>listfile</td><td>{@code train.txt}, optional {@code test.txt}, images under {@code all/} (streamed)</td><td>train</td><td>224</td></tr>
 * <tr><td>shards</td><td>{@code train/*.tar}, optional {@code val/*.tar}, WebDataset {@code KEY.jpg + KEY.cls}
 *     (streamed)</td><td>train</td><td>224</td></tr>
 * <tr><td>synthetic</td><td>none (generated)</td><td>train</td><td>32</td></tr>
 * </table>
 */
public final class DatasetRegistry {
    /** Valid data set names. */
    public static final List<String> NAMES = List.of(
            "fashion-mnist", "mnist", "cifar10", "cifar100", "stl10", "tinyimagenet", "imagefolder", "listfile",
            "shards", "synthetic");

    /** The data sets read from files as they are needed ({@link StreamedImages}), which a pre-resized store can speed up. */
    public static final List<String> STREAMED = List.of("imagefolder", "listfile", "shards");

    /** Fashion-MNIST class names, by label. */
    public static final List<String> FASHION_MNIST_CLASSES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    /** MNIST class names, by label. */
    public static final List<String> MNIST_CLASSES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    /** MNIST (grey repeated to 3 channels): the usual mean 0.1307, std 0.3081 of the 60k training set. */
    public static final Normalization MNIST_NORMALIZATION = new Normalization(
            new float[] {0.1307f, 0.1307f, 0.1307f}, new float[] {0.3081f, 0.3081f, 0.3081f});

    /** Classpath folder of the embedded Fashion-MNIST subset (from {@code data/fashion-mnist-mini/}). */
    public static final String EMBEDDED_RESOURCE = "/data/fashion-mnist-mini/";

    private DatasetRegistry() {}

    /**
     * Loads a data set.
     *
     * @param name    one of {@link #NAMES}
     * @param dataDir its directory; may be null for {@code fashion-mnist} (embedded subset) and
     *                {@code synthetic}, and with {@code download} (then {@code <cache-dir>/datasets/NAME})
     * @param opts    options; null = defaults
     * @throws UserException for an unknown name or bad/missing files
     */
    public static Dataset load(String name, Path dataDir, DataOptions opts) {
        DataOptions o = opts != null ? opts : new DataOptions();
        String n = checkName(name);
        if (o.imageSize < 0) {
            throw new UserException("--image-size must be >= 0 (0 = the data set's default), got " + o.imageSize);
        }
        PreresizedStore.checkMaxSide(o.preresizeMaxSide);
        if (o.preresizeMaxSide != 0 && !STREAMED.contains(n)) {
            throw new UserException("--preresize-max-side applies to the streamed data sets (" + String.join(", ", STREAMED)
                    + "), not '" + n + "'");
        }
        Path dir = dataDir;
        if (o.download && Downloads.supports(n)) {
            if (dir == null) {
                dir = o.effectiveCacheDir().resolve("datasets").resolve(n);
            }
            Downloads.ensure(n, dir);
        } else if (o.download) {
            throw new UserException("--download is not available for '" + n + "' (available for: "
                    + String.join(", ", Downloads.DATASETS) + ")");
        }
        return switch (n) {
            case "fashion-mnist" -> idx(n, dir, FASHION_MNIST_CLASSES, Normalization.FASHION_MNIST, o);
            case "mnist" -> idx(n, requireDir(n, dir), MNIST_CLASSES, MNIST_NORMALIZATION, o);
            case "cifar10" -> same(n, CifarReader.cifar10(requireDir(n, dir), "train"),
                    CifarReader.cifar10(dir, "test"), Normalization.CIFAR, size(o, 32));
            case "cifar100" -> same(n, CifarReader.cifar100(requireDir(n, dir), "train", o.coarseLabels),
                    CifarReader.cifar100(dir, "test", o.coarseLabels), Normalization.CIFAR, size(o, 32));
            case "stl10" -> {
                ImageStore train = Stl10Reader.read(requireDir(n, dir), "train");
                ImageStore unl = Stl10Reader.read(dir, "unlabeled");
                ImageStore test = Stl10Reader.read(dir, "test");
                yield new Dataset(n, ImageStore.concat("stl10/train+unlabeled", train, unl), train, test,
                        Normalization.STL10, size(o, 64));
            }
            case "tinyimagenet" -> {
                ImageStore[] splits = TinyImageNetReader.read(requireDir(n, dir), o);
                yield same(n, splits[0], splits[1], Normalization.TINY_IMAGENET, size(o, TinyImageNetReader.SIZE));
            }
            case "imagefolder" -> {
                int s = size(o, 224);
                Path root = requireDir(n, dir);
                Path trainDir = root.resolve("train");
                if (!Files.isDirectory(trainDir)) {
                    throw new UserException(trainDir + ": not found (an image folder holds train/ and optionally "
                            + "val/ or test/, each with one folder per class)");
                }
                StreamedImages train = ImageFolderReader.read(n + "/train", trainDir, null, o);
                Path testDir = Files.isDirectory(root.resolve("val")) ? root.resolve("val") : root.resolve("test");
                StreamedImages test = Files.isDirectory(testDir) && !o.unlabelled
                        ? ImageFolderReader.read(n + "/" + testDir.getFileName(), testDir, train.classNames(), o) : null;
                yield streamed(n, train, trainDir, test, testDir, o, s);
            }
            case "listfile" -> {
                int s = size(o, 224);
                Path root = requireDir(n, dir);
                StreamedImages train = ListFileReader.read(n + "/train", root, root.resolve(o.trainList), null, o);
                Path testList = root.resolve(o.testList);
                StreamedImages test = Files.exists(testList)
                        ? ListFileReader.read(n + "/test", root, testList, train.classNames(), o) : null;
                yield streamed(n, train, root.resolve(o.trainList), test, testList, o, s);
            }
            case "shards" -> {
                int s = size(o, 224);
                Path root = requireDir(n, dir);
                StreamedImages train = TarShards.read(n + "/train", root.resolve("train"), null, o);
                Path testDir = Files.isDirectory(root.resolve("val")) ? root.resolve("val") : root.resolve("test");
                StreamedImages test = Files.isDirectory(testDir)
                        ? TarShards.read(n + "/" + testDir.getFileName(), testDir, train.classNames(), o) : null;
                yield streamed(n, train, root.resolve("train"), test, testDir, o, s);
            }
            case "synthetic" -> {
                ImageStore train = SyntheticImages.generate("synthetic/train", o.syntheticTrain, o.syntheticClasses,
                        o.syntheticSize, o.syntheticSeed, 0);
                ImageStore test = SyntheticImages.generate("synthetic/test", o.syntheticTest, o.syntheticClasses,
                        o.syntheticSize, o.syntheticSeed, 1);
                yield same(n, train, test, ImageStats.normalizationOf(train), size(o, o.syntheticSize));
            }
            default -> throw new IllegalStateException(n);
        };
    }

    /** The view size used when {@code --image-size} is 0. */
    public static int defaultViewSize(String name) {
        return switch (checkName(name)) {
            case "fashion-mnist", "mnist" -> 28;
            case "cifar10", "cifar100", "synthetic" -> 32;
            case "stl10", "tinyimagenet" -> 64;
            default -> 224;
        };
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

    private static Dataset idx(String n, Path dir, List<String> classes, Normalization norm, DataOptions o) {
        ImageStore train;
        ImageStore test;
        if (dir == null) {
            train = embedded("train", classes);
            test = embedded("t10k", classes);
        } else {
            BinaryFiles.requireDirectory(dir, n);
            train = IdxReader.read(n + "/train", idxFile(dir, "train-images-idx3-ubyte"),
                    idxFile(dir, "train-labels-idx1-ubyte"), classes);
            test = IdxReader.read(n + "/test", idxFile(dir, "t10k-images-idx3-ubyte"),
                    idxFile(dir, "t10k-labels-idx1-ubyte"), classes);
        }
        return same(n, train, test, norm, size(o, 28));
    }

    private static Path idxFile(Path dir, String base) {
        return BinaryFiles.firstExisting(dir, base + ".gz", base, base.replace("-idx", ".idx"));
    }

    /** The embedded Fashion-MNIST subset split {@code train} or {@code t10k}, read from the classpath. */
    static ImageStore embedded(String split, List<String> classes) {
        String img = EMBEDDED_RESOURCE + split + "-images-idx3-ubyte.gz";
        String lab = EMBEDDED_RESOURCE + split + "-labels-idx1-ubyte.gz";
        String name = "fashion-mnist/" + (split.equals("train") ? "train" : "test");
        return IdxReader.parse(name, resource(img), "classpath:" + img, resource(lab), "classpath:" + lab, classes);
    }

    private static byte[] resource(String path) {
        try (InputStream in = DatasetRegistry.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new UserException("classpath:" + path + ": embedded data missing from the build");
            }
            return BinaryFiles.maybeGunzip(in.readAllBytes(), "classpath:" + path);
        } catch (IOException e) {
            throw new UserException("classpath:" + path + ": cannot read (" + e.getMessage() + ")");
        }
    }

    /**
     * A streamed data set (ImageNet normalisation), each split read through its pre-resized store when
     * {@link DataOptions#preresizeMaxSide} is set; {@code trainAt} and {@code testAt} name the stores.
     */
    private static Dataset streamed(String n, StreamedImages train, Path trainAt, StreamedImages test, Path testAt,
                                    DataOptions o, int viewSize) {
        return same(n, PreresizedStore.apply(train, trainAt, o),
                test == null ? null : PreresizedStore.apply(test, testAt, o), Normalization.IMAGENET, viewSize);
    }

    private static Dataset same(String n, ImageSet train, ImageSet test, Normalization norm, int viewSize) {
        return new Dataset(n, train, train, test, norm, viewSize);
    }

    private static int size(DataOptions o, int dflt) {
        return o.imageSize > 0 ? o.imageSize : dflt;
    }

    private static Path requireDir(String n, Path dir) {
        if (dir == null) {
            throw new UserException("--data-dir is required for data set '" + n + "'");
        }
        return BinaryFiles.requireDirectory(dir, n);
    }
}
