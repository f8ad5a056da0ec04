package org.selfsup.data.readers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.selfsup.data.BadImageException;
import org.selfsup.data.BinaryFiles;
import org.selfsup.data.DataOptions;
import org.selfsup.data.DatasetDefinition;
import org.selfsup.data.Image;
import org.selfsup.data.ImageStore;
import org.selfsup.data.Normalization;
import org.selfsup.data.stream.ImageFolderReader;
import org.selfsup.data.stream.ImageIndexer;
import org.selfsup.data.stream.StreamedImages;
import org.selfsup.util.UserException;

/**
 * Tiny-ImageNet-200 in its official folder layout (RSA's sixth data set; methods.md §1.3 normalisation):
 * <pre>
 * wnids.txt                          200 class ids (WordNet ids), one a line: the label order
 * train/&lt;wnid&gt;/images/*.JPEG        500 64x64 training pictures per class (the boxes file is ignored)
 * val/images/*.JPEG                  10,000 validation pictures
 * val/val_annotations.txt            "file \t wnid \t x0 \t y0 \t x1 \t y1" per validation picture
 * </pre>
 * The validation split is the labelled test split (the official test split has no labels).
 *
 * <p>Unlike image folders, Tiny-ImageNet is held in memory like CIFAR and STL-10 (110,000 pictures of
 * 64 x 64 are 1.35 GB, decoded PIL-exactly at every start): RSA reads it from an LMDB of 64 px pictures
 * and evaluates on them as they are (no resize), so the in-memory store gives the same geometry and
 * allows {@code --augment-on device}. A picture of another size is a bad image ({@code --on-bad-image}).
 */
public final class TinyImageNetReader {
    /** Side of the pictures. */
    public static final int SIZE = 64;

    /** Tiny-ImageNet-200, held in memory. */
    public static final DatasetDefinition DATASET = DatasetDefinition.named("tinyimagenet")
            .files("wnids.txt, train/WNID/images/*.JPEG, val/images/ + val/val_annotations.txt (in memory)")
            .viewSize(SIZE).normalization(Normalization.TINY_IMAGENET)
            .reader((dir, o) -> {
                ImageStore[] splits = read(dir, o);
                return DatasetDefinition.Splits.of(splits[0], splits[1]);
            });

    private TinyImageNetReader() {}

    /** {train, test} stores of the tree at {@code root}. */
    public static ImageStore[] read(Path root, DataOptions o) {
        BinaryFiles.requireDirectory(root, "tinyimagenet");
        List<String> wnids = wnids(root.resolve("wnids.txt"));
        Map<String, Integer> label = new HashMap<>();
        for (int i = 0; i < wnids.size(); i++) {
            label.put(wnids.get(i), i);
        }
        ImageIndexer train = new ImageIndexer("tinyimagenet/train", o.onBadImage);
        for (int i = 0; i < wnids.size(); i++) {
            Path dir = root.resolve("train").resolve(wnids.get(i)).resolve("images");
            BinaryFiles.requireDirectory(dir, "tinyimagenet/train");
            for (Path f : images(dir)) {
                train.add(new ImageIndexer.Candidate(f, f.toString(), i));
            }
        }
        if (train.size() == 0) {
            throw new UserException(root.resolve("train") + ": no training pictures in train/<wnid>/images/");
        }
        ImageIndexer val = new ImageIndexer("tinyimagenet/val", o.onBadImage);
        Path annotations = root.resolve("val").resolve("val_annotations.txt");
        BinaryFiles.requireFile(annotations);
        List<String> lines = readLines(annotations);
        int entries = 0;
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
            Path file = root.resolve("val").resolve("images").resolve(f[0].strip());
            val.add(new ImageIndexer.Candidate(file, file.toString(), l));
            entries++;
        }
        if (entries == 0) {
            throw new UserException(annotations + ": no entries");
        }
        return new ImageStore[] {inMemory(train.build(wnids, List.of())), inMemory(val.build(wnids, List.of()))};
    }

    /** Decodes every picture of {@code set} into a store of {@link #SIZE}-pixel RGB images, in parallel. */
    private static ImageStore inMemory(StreamedImages set) {
        BinaryFiles.requireHeap(set.name(), (long) set.size() * SIZE * SIZE * 3);
        Image[] decoded = new Image[set.size()];
        IntStream.range(0, set.size()).parallel().forEach(i -> {
            try {
                Image img = set.decodeOrThrow(i).toRgb();
                decoded[i] = img.height() == SIZE && img.width() == SIZE ? img : null;
                if (decoded[i] == null) {
                    refuse(set, i, img.width() + "x" + img.height() + " pixels, not " + SIZE + "x" + SIZE);
                }
            } catch (BadImageException e) {
                refuse(set, i, e.getMessage());
            }
        });
        List<byte[]> pixels = new ArrayList<>(decoded.length);
        List<Integer> labels = new ArrayList<>(decoded.length);
        for (int i = 0; i < decoded.length; i++) {
            if (decoded[i] != null) {
                pixels.add(decoded[i].data());
                labels.add(set.label(i));
            }
        }
        if (pixels.isEmpty()) {
            throw new UserException(set.name() + ": none of its " + set.size() + " pictures is readable");
        }
        return new ImageStore(set.name(), SIZE, SIZE, 3, pixels.toArray(byte[][]::new),
                labels.stream().mapToInt(Integer::intValue).toArray(), set.classNames());
    }

    private static void refuse(StreamedImages set, int i, String reason) {
        set.policy().onBadFile(set.displayName(i), reason);
        org.slf4j.LoggerFactory.getLogger(TinyImageNetReader.class)
                .warn("{}: {}; skipped", set.displayName(i), reason);
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
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UserException(file + ": cannot read (" + e.getMessage() + ")");
        }
    }
}
