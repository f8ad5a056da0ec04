package org.selfsup.data.stream;

import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.selfsup.data.BadImagePolicy;
import org.selfsup.data.BinaryFiles;
import org.selfsup.data.DataOptions;
import org.selfsup.data.DatasetDefinition;
import org.selfsup.data.Normalization;
import org.selfsup.util.UserException;

/**
 * Reader for image folders, like torchvision's {@code ImageFolder}: one sub-folder per class (the
 * sorted sub-folder names are the classes), every image file below a class folder (recursively, sorted
 * by path, following symbolic links) is one sample. With {@code --labels none} every image file below
 * the folder is an unlabelled sample, whatever the sub-folders are.
 *
 * <p>Classes are matched by name across splits: the test split's labels are the train split's indices
 * of the same names (a test class unknown to train is an error naming it), so a class missing from one
 * split, or an empty class folder, never shifts the others' labels. An empty class folder is reported
 * (a warning and a {@code data info} note). Images are streamed ({@link StreamedImages}); files whose
 * header is bad, and symbolic-link loops, are skipped with a warning or fail the load
 * ({@link BadImagePolicy}).
 */
public final class ImageFolderReader {
    /** File extensions treated as images (lower case). */
    public static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "gif", "tif", "tiff", "webp");

    /** Image folders: {@code train/CLASS/*.jpg}, optional {@code val/} or {@code test/}, streamed. */
    public static final DatasetDefinition DATASET = DatasetDefinition.named("imagefolder")
            .files("train/CLASS/*.jpg, optional val/CLASS/*.jpg (streamed)")
            .viewSize(224).normalization(Normalization.IMAGENET).streamed()
            .reader(ImageFolderReader::splits);

    private ImageFolderReader() {}

    private static DatasetDefinition.Splits splits(Path root, DataOptions o) {
        String n = "imagefolder";
        Path trainDir = root.resolve("train");
        if (!Files.isDirectory(trainDir)) {
            throw new UserException(trainDir + ": not found (an image folder holds train/ and optionally "
                    + "val/ or test/, each with one folder per class)");
        }
        StreamedImages train = read(n + "/train", trainDir, null, o);
        Path testDir = Files.isDirectory(root.resolve("val")) ? root.resolve("val") : root.resolve("test");
        StreamedImages test = Files.isDirectory(testDir) && !o.unlabelled
                ? read(n + "/" + testDir.getFileName(), testDir, train.classNames(), o) : null;
        return PreresizedStore.splits(train, trainDir, test, testDir, o);
    }

    /**
     * Indexes {@code dir} (e.g. {@code root/train}).
     *
     * @param trainClasses the train split's class names when reading a test split, else null
     * @throws UserException if the folder does not exist or holds no class folders, or (a training split)
     *                       no readable image; an empty test split is returned empty
     */
    public static StreamedImages read(String name, Path dir, List<String> trainClasses, DataOptions o) {
        BinaryFiles.requireDirectory(dir, name);
        IndexCache cache = IndexCache.of(o, "imagefolder", dir, dir,
                "labels=" + (o.unlabelled ? "none" : "folders") + "\ntrain-classes=" + trainClasses);
        IndexCache.Loaded kept = cache.load(name, o.onBadImage);
        if (kept != null) {
            return kept.build();
        }
        ImageIndexer index = new ImageIndexer(name, o.onBadImage);
        List<String> notes = new ArrayList<>();
        List<String> classNames = index(dir, trainClasses, o, index, notes);
        StreamedImages split = finish(index, dir, classNames, notes, trainClasses == null);
        cache.save(index, classNames, notes);
        return split;
    }

    /** Lists and checks the images of {@code dir} into {@code index}; returns the class names. */
    private static List<String> index(Path dir, List<String> trainClasses, DataOptions o, ImageIndexer index,
                                      List<String> notes) {
        index.watch(dir);
        if (o.unlabelled) {
            List<Path> files = imageFiles(dir, index);
            for (int i = 0; i < files.size(); i++) {
                index.add(new ImageIndexer.Candidate(files.get(i), files.get(i).toString(), -1));
                index.progress("images", i + 1, files.size());
            }
            return List.of();
        }
        List<Path> classDirs;
        try (Stream<Path> s = Files.list(dir)) {
            classDirs = s.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UserException(dir + ": cannot list (" + e.getMessage() + ")");
        }
        if (classDirs.isEmpty()) {
            throw new UserException(dir + ": no class sub-folders (expected one folder of images per class; "
                    + "for a folder of unlabelled images use --labels none)");
        }
        List<String> classNames = new ArrayList<>();
        for (Path cd : classDirs) {
            classNames.add(cd.getFileName().toString());
        }
        List<String> names = trainClasses != null ? trainClasses : classNames;
        List<String> empty = new ArrayList<>();
        for (int c = 0; c < classDirs.size(); c++) {
            Path cd = classDirs.get(c);
            String cls = cd.getFileName().toString();
            int label = names.indexOf(cls);
            if (label < 0) {
                throw new UserException(cd + ": class '" + cls + "' is not a class of the training split (its classes: "
                        + abbreviate(names) + ")");
            }
            int before = index.size() + index.refused().size();
            for (Path f : imageFiles(cd, index)) {
                index.add(new ImageIndexer.Candidate(f, f.toString(), label));
            }
            if (index.size() + index.refused().size() == before) {
                empty.add(cls);
            }
            index.progress("class folders", c + 1, classDirs.size());
        }
        if (!empty.isEmpty()) {
            String msg = "empty class folder(s) in " + dir + ": " + abbreviate(empty);
            index.warn(msg);
            notes.add(msg);
        }
        return names;
    }

    /** The split; an empty one is an error for a training split, and left to the caller for a test split. */
    private static StreamedImages finish(ImageIndexer index, Path dir, List<String> classNames, List<String> notes,
                                         boolean required) {
        if (index.size() == 0 && required) {
            String why = index.refused().isEmpty() ? "no image files (" + String.join(", ", EXTENSIONS.stream().sorted().toList()) + ")"
                    : "no readable image (" + index.refused().size() + " skipped)";
            throw new UserException(dir + ": " + why);
        }
        return index.build(classNames, notes);
    }

    /** Whether {@code p}'s extension is an image extension. */
    public static boolean isImage(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /**
     * The image files under {@code dir}, sorted, following symbolic links (ImageNet copies are often
     * trees of links); a link loop or an unlistable folder is refused through {@code index}.
     */
    static List<Path> imageFiles(Path dir, ImageIndexer index) {
        List<Path> files = new ArrayList<>();
        try {
            Files.walkFileTree(dir, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                    index.watch(d, attrs); // before listing it: a file added meanwhile changes the stamp
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (!isImage(file)) {
                        return FileVisitResult.CONTINUE;
                    }
                    if (attrs.isRegularFile()) {
                        files.add(file);
                    } else {
                        index.refuse(file.toString(), notAFile(file, attrs)); // never dropped without a word
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    index.refuse(file.toString(), e instanceof FileSystemLoopException ? "symbolic link loop"
                            : "cannot list (" + e.getMessage() + ")");
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UserException(dir + ": cannot list (" + e.getMessage() + ")");
        }
        files.sort(null);
        return files;
    }

    /**
     * Why an image-named entry that is not a regular file cannot be read: the walk (following links) gives
     * a link's own attributes when its target cannot be reached, and a FIFO's or device's otherwise.
     */
    static String notAFile(Path file, BasicFileAttributes attrs) {
        if (attrs.isSymbolicLink()) {
            try {
                Files.readAttributes(file, BasicFileAttributes.class); // follows the link
            } catch (NoSuchFileException e) {
                return "dangling symbolic link (its target does not exist)";
            } catch (FileSystemException e) {
                String why = e.getReason() == null ? "" : e.getReason();
                return why.toLowerCase(Locale.ROOT).contains("levels of symbolic links") ? "symbolic link loop"
                        : "symbolic link whose target cannot be read (" + (why.isEmpty() ? e.toString() : why) + ")";
            } catch (IOException e) {
                return "symbolic link whose target cannot be read (" + e.getMessage() + ")";
            }
        }
        return "not a regular file (a FIFO, socket or device)";
    }

    static String abbreviate(List<String> names) {
        return names.size() <= 8 ? String.join(", ", names)
                : String.join(", ", names.subList(0, 8)) + ", ... (" + names.size() + " in all)";
    }
}
