package org.selfsup.data.stream;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.selfsup.data.BinaryFiles;
import org.selfsup.data.DataOptions;
import org.selfsup.data.DatasetDefinition;
import org.selfsup.data.Normalization;
import org.selfsup.util.UserException;

/**
 * Reader for DSSL's list-file format: one {@code relative/path label} per line (the label after the last
 * run of white space, so paths may contain spaces), images under {@code root/all/} by default. DSSL's
 * ImageNet lists use 1-based labels ({@link DataOptions#listLabelBase}, default 1). Blank lines and lines
 * starting with {@code #} are ignored. The file is read as UTF-8 whatever the locale.
 *
 * <p>Paths may be absolute or climb out of the image folder with {@code ../}: such entries are allowed
 * (datasets are often trees of links) and counted in a note that {@code data info} prints. Labels are
 * bounded by {@link #MAX_CLASSES}. Class names: the first folder of the paths of a class when every class
 * has exactly one such folder (e.g. ImageNet's {@code n01440764}), else the label as written in the file.
 */
public final class ListFileReader {
    /** Largest number of classes a list may use (labels above are an error, not a huge allocation). */
    public static final int MAX_CLASSES = 100_000;

    /** DSSL's list files: {@code train.txt}, optional {@code test.txt}, images under {@code all/}, streamed. */
    public static final DatasetDefinition DATASET = DatasetDefinition.named("listfile")
            .files("train.txt, optional test.txt, images under all/ (streamed)")
            .viewSize(224).normalization(Normalization.IMAGENET).streamed()
            .reader((root, o) -> {
                String n = "listfile";
                StreamedImages train = read(n + "/train", root, root.resolve(o.trainList), null, o);
                Path testList = root.resolve(o.testList);
                StreamedImages test = Files.exists(testList)
                        ? read(n + "/test", root, testList, train.classNames(), o) : null;
                return PreresizedStore.splits(train, root.resolve(o.trainList), test, testList, o);
            });

    private ListFileReader() {}

    /**
     * Indexes the images listed in {@code listFile}.
     *
     * @param root       data root; images are under {@code root/<listImageDir>/}
     * @param classNames classes to use (e.g. the training list's for the test list), or null to derive them
     */
    public static StreamedImages read(String name, Path root, Path listFile, List<String> classNames, DataOptions o) {
        BinaryFiles.requireDirectory(root, name);
        BinaryFiles.requireFile(listFile);
        Path imageDir = o.listImageDir == null || o.listImageDir.isEmpty() ? root : root.resolve(o.listImageDir);
        IndexCache cache = IndexCache.of(o, "listfile", imageDir, listFile,
                "label-base=" + o.listLabelBase + "\ntrain-classes=" + classNames);
        IndexCache.Loaded kept = cache.load(name, o.onBadImage);
        if (kept != null) {
            return kept.build();
        }
        ImageIndexer index = new ImageIndexer(name, o.onBadImage);
        index.watch(listFile);
        List<String> lines;
        try {
            lines = List.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(listFile))).toString().split("\r?\n"));
        } catch (CharacterCodingException e) {
            throw new UserException(listFile + ": not UTF-8 text");
        } catch (IOException e) {
            throw new UserException(listFile + ": cannot read (" + e.getMessage() + ")");
        }
        Path normDir = imageDir.toAbsolutePath().normalize();
        List<String> rel = new ArrayList<>();
        int maxLabel = -1;
        int outside = 0;
        String firstOutside = null;
        List<ImageIndexer.Candidate> candidates = new ArrayList<>();
        for (int ln = 0; ln < lines.size(); ln++) {
            String line = lines.get(ln).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = listFile + ":" + (ln + 1);
            int sp = lastWhitespace(line);
            if (sp < 0) {
                throw new UserException(where + ": expected 'relative/path label', got '" + line + "'");
            }
            String path = line.substring(0, sp).strip();
            String text = line.substring(sp + 1);
            long raw;
            try {
                raw = Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new UserException(where + ": label '" + text + "' is not an integer");
            }
            long label = raw - o.listLabelBase;
            if (label < 0) {
                throw new UserException(where + ": label " + raw + " is below the label base " + o.listLabelBase);
            }
            if (label >= MAX_CLASSES) {
                throw new UserException(where + ": label " + raw + " is above the limit of " + MAX_CLASSES
                        + " classes (label base " + o.listLabelBase + ")");
            }
            if (classNames != null && label >= classNames.size()) {
                throw new UserException(where + ": label " + raw + " out of range (" + classNames.size()
                        + " classes in the training list, base " + o.listLabelBase + ")");
            }
            Path file;
            try {
                file = imageDir.resolve(path);
            } catch (InvalidPathException e) {
                index.refuse(where + " '" + path + "'", "path cannot be represented in this locale's file-name encoding ("
                        + System.getProperty("sun.jnu.encoding") + "); run with a UTF-8 locale");
                continue;
            }
            if (!file.toAbsolutePath().normalize().startsWith(normDir)) {
                outside++;
                firstOutside = firstOutside == null ? path : firstOutside;
            }
            maxLabel = Math.max(maxLabel, (int) label);
            candidates.add(new ImageIndexer.Candidate(file, file.toString(), (int) label));
            rel.add(path);
        }
        if (candidates.isEmpty() && index.refused().isEmpty() && classNames == null) {
            throw new UserException(listFile + ": no entries");
        }
        List<String> names = classNames != null ? classNames : deriveNames(candidates, rel, maxLabel + 1, o.listLabelBase);
        for (int i = 0; i < candidates.size(); i++) {
            ImageIndexer.Candidate c = candidates.get(i);
            Path parent = c.file().getParent();
            if (parent != null) {
                index.watch(parent); // adding, removing or renaming a listed file changes its folder
            }
            index.add(c);
            index.progress("header checks", i + 1, candidates.size());
        }
        if (index.size() == 0 && classNames == null) {
            throw new UserException(listFile + ": no readable image (" + index.refused().size() + " skipped)");
        }
        List<String> notes = new ArrayList<>();
        if (outside > 0) {
            notes.add(outside + " entr" + (outside == 1 ? "y points" : "ies point") + " outside " + imageDir
                    + " (absolute or ../ paths, allowed; first: " + firstOutside + ")");
        }
        StreamedImages split = index.build(names, notes);
        cache.save(index, names, notes);
        return split;
    }

    private static int lastWhitespace(String s) {
        for (int i = s.length() - 1; i >= 0; i--) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static List<String> deriveNames(List<ImageIndexer.Candidate> entries, List<String> rel, int n, int base) {
        String[] folder = new String[n];
        boolean unique = true;
        for (int i = 0; i < entries.size() && unique; i++) {
            String p = rel.get(i).replace('\\', '/');
            int slash = p.indexOf('/');
            String f = slash > 0 ? p.substring(0, slash) : null;
            int l = entries.get(i).label();
            if (f == null || (folder[l] != null && !folder[l].equals(f))) {
                unique = false;
            }
            folder[l] = f;
        }
        if (unique && java.util.Arrays.stream(folder).distinct().count() == n
                && java.util.Arrays.stream(folder).allMatch(java.util.Objects::nonNull)) {
            return List.of(folder);
        }
        List<String> names = new ArrayList<>(n);
        for (int l = 0; l < n; l++) {
            names.add(String.valueOf(l + base));
        }
        return names;
    }
}
