package org.selfsup.eval;

import ai.djl.ndarray.NDManager;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.selfsup.augment.ImageOp;
import org.selfsup.augment.ops.CenterCrop;
import org.selfsup.augment.ops.Resize;
import org.selfsup.data.BadImageException;
import org.selfsup.data.BadImagePolicy;
import org.selfsup.data.DataOptions;
import org.selfsup.data.Image;
import org.selfsup.data.Normalization;
import org.selfsup.data.stream.ImageFolderReader;
import org.selfsup.data.stream.StreamedImages;
import org.selfsup.util.AtomicFiles;
import org.selfsup.util.UserException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Embeds every image file under a folder (recursively, in path order) and writes one CSV row per
 * image: its path relative to the folder, then the feature values. Images are resized (shorter side) and
 * centre-cropped to the encoder's input size.
 */
public final class FolderEmbedder {
    private static final Logger LOG = LoggerFactory.getLogger(FolderEmbedder.class);
    private final FeatureExtractor extractor;
    private final int inputSize;
    private final Normalization norm;
    private final boolean l2Normalise;

    /**
     * @param encoder     the frozen encoder
     * @param inputSize   images are resized (shorter side) and centre-cropped to this side
     * @param norm        normalisation of the training data
     * @param batchSize   images per forward pass
     * @param l2Normalise whether rows are divided by their L2 norm
     */
    public FolderEmbedder(FeatureEncoder encoder, int inputSize, Normalization norm, int batchSize,
                          boolean l2Normalise) {
        this.extractor = new FeatureExtractor(encoder, batchSize);
        this.inputSize = inputSize;
        this.norm = norm;
        this.l2Normalise = l2Normalise;
    }

    /**
     * The images under {@code dir} (recursively, sorted by path), header-checked: a bad file is skipped
     * with a warning or fails, as {@code policy} says.
     */
    public static StreamedImages images(Path dir, BadImagePolicy policy) {
        if (!Files.isDirectory(dir)) {
            throw new UserException("--images: " + dir + ": not a directory");
        }
        DataOptions o = new DataOptions();
        o.unlabelled = true;
        o.onBadImage = policy;
        return ImageFolderReader.read("--images " + dir, dir, null, o);
    }

    /**
     * Writes the CSV atomically (temporary sibling, then rename). Images are decoded one batch at a time;
     * one that cannot be decoded is left out with a warning (or fails, with {@link BadImagePolicy#FAIL}).
     *
     * @return the number of images embedded
     */
    public int embed(NDManager manager, Path dir, Path csv, BadImagePolicy policy) {
        return embed(manager, dir, images(dir, policy), csv, policy);
    }

    /**
     * As {@link #embed(NDManager, Path, Path, BadImagePolicy)} for the images of {@code dir} already indexed
     * by {@link #images} (so that its warnings are printed once).
     */
    public int embed(NDManager manager, Path dir, StreamedImages set, Path csv, BadImagePolicy policy) {
        ImageOp resize = new Resize(inputSize);
        ImageOp crop = new CenterCrop(inputSize);
        boolean[] bad = new boolean[set.size()];
        FeatureMatrix f = extractor.extract(manager, set.size(), i -> {
            try {
                return crop.apply(resize.apply(set.decodeOrThrow(i)));
            } catch (BadImageException e) {
                policy.onBadFile(set.displayName(i), e.getMessage());
                LOG.warn("{}: {}; left out", set.displayName(i), e.getMessage());
                bad[i] = true;
                return Image.blank(inputSize, inputSize, 3);
            }
        }, norm, l2Normalise);
        int written = 0;
        for (boolean b : bad) {
            written += b ? 0 : 1;
        }
        try {
            AtomicFiles.write(csv, out -> {
                BufferedWriter w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
                w.write("path");
                for (int d = 0; d < f.dim(); d++) {
                    w.write(",f" + d);
                }
                w.newLine();
                for (int i = 0; i < set.size(); i++) {
                    if (bad[i]) {
                        continue;
                    }
                    w.write(csvCell(csvPath(dir, set.source(i).file())));
                    for (float v : f.row(i)) {
                        w.write(',');
                        w.write(Float.toString(v));
                    }
                    w.newLine();
                }
                w.flush();
            });
        } catch (IOException e) {
            throw new UserException("--out: cannot write " + csv + ": " + org.selfsup.util.IoMessages.reason(e));
        }
        return written;
    }

    /**
     * The CSV's path cell: {@code file}'s path relative to {@code dir}, reversibly. File names are bytes;
     * valid UTF-8 is written as text, while every byte that is not part of valid UTF-8, and the character
     * {@code %} itself, is written as {@code %XX} (two upper-case hex digits), so that percent-decoding the
     * cell to bytes (Python: {@code urllib.parse.unquote_to_bytes}) gives the file's name exactly.
     */
    static String csvPath(Path dir, Path file) {
        // Path.toUri() percent-encodes the path's raw bytes (toString() would replace a non-UTF-8 byte by U+FFFD)
        String base = dir.toAbsolutePath().toUri().getRawPath();
        String full = file.toAbsolutePath().toUri().getRawPath();
        if (!base.endsWith("/")) {
            base += "/";
        }
        String rel = full.startsWith(base) ? full.substring(base.length()) : dir.relativize(file).toString();
        return encodeName(percentDecode(rel));
    }

    /** {@code %XX} escapes to bytes, other characters (ASCII in a raw URI path) as they are. */
    private static byte[] percentDecode(String s) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()) {
                b.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                byte[] u = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                b.write(u, 0, u.length);
            }
        }
        return b.toByteArray();
    }

    /** Valid UTF-8 as text; {@code %} and each byte of an invalid sequence as {@code %XX}. */
    static String encodeName(byte[] name) {
        java.nio.charset.CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(name);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(name.length + 1);
        StringBuilder sb = new StringBuilder(name.length + 8);
        while (true) {
            java.nio.charset.CoderResult r = dec.decode(in, out, true);
            out.flip();
            for (int i = 0; i < out.length(); i++) {
                char c = out.charAt(i);
                sb.append(c == '%' ? "%25" : String.valueOf(c));
            }
            out.clear();
            if (r.isError()) {
                for (int k = 0; k < r.length(); k++) {
                    sb.append(String.format(java.util.Locale.ROOT, "%%%02X", in.get() & 0xFF));
                }
            } else if (r.isUnderflow()) {
                break;
            }
        }
        return sb.toString();
    }

    private static String csvCell(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
