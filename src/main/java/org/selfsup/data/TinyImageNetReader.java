package org.selfsup.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.selfsup.util.UserException;

/**
 * Tiny-ImageNet-200 in its official folder layout (RSA's sixth data set; methods.md §1.3 normalisation):
 * <pre>
 * wnids.txt                          200 class ids (WordNet ids), one a line: the label order
 * train/&lt;wnid&gt;/images/*.JPEG        500 64x64 training pictures per class (the boxes file is ignored)
 * val/images/*.JPEG                  10,000 validation pictures
 * val/val_annotations.txt            "file \t wnid \t x0 \t y0 \t x1 \t y1" per validation picture
 * </pre>
 * The validation split is the labelled test split (the official test split has no labels). Pictures
 * are decoded once at their native 64 x 64 through the decoded-image cache.
 */
public final class TinyImageNetReader {
    /** Side of the pictures. */
    public static final int SIZE = 64;

    private TinyImageNetReader() {}

    /** {train, test} stores of the tree at {@code root}. */
    public static ImageStore[] read(Path root, DataOptions o) {
        BinaryFiles.requireDirectory(root, "tinyimagenet");
        List<String> wnids = wnids(root.resolve("wnids.txt"));
        Map<String, Integer> label = new HashMap<>();
        for (int i = 0; i < wnids.size(); i++) {
            label.put(wnids.get(i), i);
        }
        List<DecodedImageCache.Entry> train = new ArrayList<>();
        for (int i = 0; i < wnids.size(); i++) {
            Path dir = root.resolve("train").resolve(wnids.get(i)).resolve("images");
            BinaryFiles.requireDirectory(dir, "tinyimagenet/train");
            for (Path f : images(dir)) {
                train.add(new DecodedImageCache.Entry(f, i));
            }
        }
        if (train.isEmpty()) {
            throw new UserException(root.resolve("train") + ": no training pictures in train/<wnid>/images/");
        }
        List<DecodedImageCache.Entry> val = new ArrayList<>();
        Path annotations = root.resolve("val").resolve("val_annotations.txt");
        BinaryFiles.requireFile(annotations);
        List<String> lines = readLines(annotations);
        for (int ln = 0; ln < lines.size(); ln++) {
            String line = lines.get(ln).strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\t");
            Integer l = f.length >= 2 ? label.get(f[1].strip()) : null;
            if (l == null) {
                throw new UserException(annotations + ":" + (ln + 1) + ": expected 'file<TAB>wnid<TAB>...' with a wnid "
                        + "of wnids.txt, got '" + line + "'");
            }
            val.add(new DecodedImageCache.Entry(root.resolve("val").resolve("images").resolve(f[0].strip()), l));
        }
        if (val.isEmpty()) {
            throw new UserException(annotations + ": no entries");
        }
        return new ImageStore[] {
            DecodedImageCache.load("tinyimagenet/train", root.resolve("train"), train, wnids, SIZE, o),
            DecodedImageCache.load("tinyimagenet/val", root.resolve("val"), val, wnids, SIZE, o)};
    }

    private static List<String> wnids(Path file) {
        BinaryFiles.requireFile(file);
        List<String> ids = readLines(file).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        if (ids.isEmpty()) {
            throw new UserException(file + ": no class ids");
        }
        if (ids.stream().distinct().count() != ids.size()) {
            throw new UserException(file + ": a class id appears twice");
        }
        return ids;
    }

    private static List<Path> images(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).filter(ImageFolderReader::isImage).sorted().toList();
        } catch (IOException e) {
            throw new UserException(dir + ": cannot list (" + e.getMessage() + ")");
        }
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UserException(file + ": cannot read (" + e.getMessage() + ")");
        }
    }
}
