package org.selfsup.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.selfsup.util.UserException;

/**
 * Reader for image folders with one sub-folder per class, like torchvision's {@code ImageFolder}: the
 * sorted sub-folder names are the classes (label = index in that order), every image file below a class
 * folder (recursively, sorted by path) is one sample. Images are decoded and resized by
 * {@link ImageDecoding} and cached by {@link DecodedImageCache}.
 */
public final class ImageFolderReader {
    /** File extensions treated as images (lower case). */
    public static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "gif", "tif", "tiff");

    private ImageFolderReader() {}

    /**
     * Reads {@code dir} (e.g. {@code root/train}) into a store of {@code size x size} RGB images.
     *
     * @throws UserException if the folder does not exist or holds no class folders or no images
     */
    public static ImageStore read(String name, Path dir, int size, DataOptions o) {
        BinaryFiles.requireDirectory(dir, name);
        List<Path> classDirs;
        try (Stream<Path> s = Files.list(dir)) {
            classDirs = s.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UserException(dir + ": cannot list (" + e.getMessage() + ")");
        }
        if (classDirs.isEmpty()) {
            throw new UserException(dir + ": no class sub-folders (expected one folder of images per class)");
        }
        List<String> classNames = new ArrayList<>();
        List<DecodedImageCache.Entry> entries = new ArrayList<>();
        for (int label = 0; label < classDirs.size(); label++) {
            Path cd = classDirs.get(label);
            classNames.add(cd.getFileName().toString());
            for (Path f : imageFiles(cd)) {
                entries.add(new DecodedImageCache.Entry(f, label));
            }
        }
        if (entries.isEmpty()) {
            throw new UserException(dir + ": no image files (" + String.join(", ", EXTENSIONS.stream().sorted().toList())
                    + ") in its class folders");
        }
        return DecodedImageCache.load(name, dir, entries, classNames, size, o);
    }

    /** Whether {@code p}'s extension is an image extension. */
    static boolean isImage(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    private static List<Path> imageFiles(Path classDir) {
        try (Stream<Path> s = Files.walk(classDir)) {
            return s.filter(Files::isRegularFile).filter(ImageFolderReader::isImage).sorted().toList();
        } catch (IOException e) {
            throw new UserException(classDir + ": cannot list (" + e.getMessage() + ")");
        }
    }
}
