package org.selfsup.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.selfsup.util.UserException;

/**
 * Reader for DSSL's list-file format: one {@code relative/path label} per line (the label after the last
 * run of white space, so paths may contain spaces), images under {@code root/all/} by default. DSSL's
 * ImageNet lists use 1-based labels ({@link DataOptions#listLabelBase}, default 1). Blank lines and lines
 * starting with {@code #} are ignored. Decoding and caching are shared with {@link ImageFolderReader}.
 *
 * <p>Class names: the first folder of the paths of a class when every class has exactly one such folder
 * (e.g. ImageNet's {@code n01440764}), else the label as written in the file.
 */
public final class ListFileReader {
    private ListFileReader() {}

    /**
     * Reads the images listed in {@code listFile}.
     *
     * @param root       data root; images are under {@code root/<listImageDir>/}
     * @param classNames classes to use (e.g. the training list's for the test list), or null to derive them
     */
    public static ImageStore read(String name, Path root, Path listFile, List<String> classNames, int size, DataOptions o) {
        BinaryFiles.requireDirectory(root, name);
        BinaryFiles.requireFile(listFile);
        List<String> lines;
        try {
            lines = Files.readAllLines(listFile);
        } catch (IOException e) {
            throw new UserException(listFile + ": cannot read (" + e.getMessage() + ")");
        }
        Path imageDir = o.listImageDir == null || o.listImageDir.isEmpty() ? root : root.resolve(o.listImageDir);
        List<DecodedImageCache.Entry> entries = new ArrayList<>();
        List<String> rel = new ArrayList<>();
        int maxLabel = -1;
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
            int label;
            try {
                label = Integer.parseInt(line.substring(sp + 1)) - o.listLabelBase;
            } catch (NumberFormatException e) {
                throw new UserException(where + ": label '" + line.substring(sp + 1) + "' is not an integer");
            }
            if (label < 0) {
                throw new UserException(where + ": label " + (label + o.listLabelBase) + " is below the label base "
                        + o.listLabelBase);
            }
            if (classNames != null && label >= classNames.size()) {
                throw new UserException(where + ": label " + (label + o.listLabelBase) + " out of range (" + classNames.size()
                        + " classes, base " + o.listLabelBase + ")");
            }
            maxLabel = Math.max(maxLabel, label);
            entries.add(new DecodedImageCache.Entry(imageDir.resolve(path), label));
            rel.add(path);
        }
        if (entries.isEmpty()) {
            throw new UserException(listFile + ": no entries");
        }
        List<String> names = classNames != null ? classNames : deriveNames(entries, rel, maxLabel + 1, o.listLabelBase);
        return DecodedImageCache.load(name, imageDir, entries, names, size, o);
    }

    private static int lastWhitespace(String s) {
        for (int i = s.length() - 1; i >= 0; i--) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static List<String> deriveNames(List<DecodedImageCache.Entry> entries, List<String> rel, int n, int base) {
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
