package org.selfsup.train.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.selfsup.util.AtomicFiles;
import org.selfsup.util.UserException;

/**
 * The checkpoints of one run folder: {@code last.ckpt} (the newest), {@code previous.ckpt} (the one before,
 * kept so a damaged {@code last.ckpt} costs one checkpoint interval, not the run) and {@code epoch-NNNN.ckpt}
 * copies every N epochs. Loading tries them newest first and falls back, saying so, past corrupt ones.
 */
public final class CheckpointStore {
    /** Name of the newest checkpoint. */
    public static final String LAST = "last.ckpt";
    /** Name of the checkpoint before the newest. */
    public static final String PREVIOUS = "previous.ckpt";
    private static final Pattern EPOCH = Pattern.compile("epoch-(\\d+)\\.ckpt");

    /** Suffix a damaged {@code last.ckpt} gets when a new checkpoint replaces it (kept for inspection). */
    public static final String CORRUPT_SUFFIX = ".corrupt";

    private final Path dir;
    /** Files {@link #loadLatest} found damaged: never rotated into {@code previous.ckpt}. */
    private final java.util.Set<Path> corrupt = new java.util.HashSet<>();

    /**
     * A read-only view of {@code dir} (for evaluation: it never deletes anything, so it is safe while a
     * training process writes there).
     *
     * @param dir the {@code checkpoints/} folder of a run
     */
    public CheckpointStore(Path dir) {
        this.dir = dir;
    }

    /**
     * The store of the run that holds the folder's lock: creates {@code dir} and deletes temporary files a
     * killed writer left behind.
     */
    public static CheckpointStore forWriting(Path dir) throws IOException {
        Files.createDirectories(dir);
        AtomicFiles.cleanTemporaries(dir);
        return new CheckpointStore(dir);
    }

    /** The folder. */
    public Path dir() {
        return dir;
    }

    /** Path of the per-epoch copy for (1-based) epoch {@code epoch}. */
    public Path epochFile(int epoch) {
        return dir.resolve(String.format("epoch-%04d.ckpt", epoch));
    }

    /**
     * Writes a new {@code last.ckpt} atomically, first moving the old one to {@code previous.ckpt} (or, if
     * {@link #loadLatest} found it damaged, to {@code last.ckpt.corrupt}), and, when {@code epochCopy > 0},
     * also {@code epoch-NNNN.ckpt}.
     */
    public void save(CheckpointFile.PayloadWriter payload, int epochCopy) throws IOException {
        // one unit for an interrupt: the shutdown hook lets the whole rotation finish
        AtomicFiles.exclusive(() -> rotate(payload, epochCopy));
    }

    private void rotate(CheckpointFile.PayloadWriter payload, int epochCopy) throws IOException {
        Path last = dir.resolve(LAST);
        Path tmp = dir.resolve(AtomicFiles.TMP_PREFIX + "new-" + LAST);
        // write the new file completely before touching the old ones
        CheckpointFile.write(tmp, payload);
        if (corrupt.remove(last)) {
            // resumed past a damaged last.ckpt: demoting it to previous.ckpt would replace the good
            // checkpoint the run fell back to, so a second fault would cost the whole run
            Files.move(last, dir.resolve(LAST + CORRUPT_SUFFIX), StandardCopyOption.REPLACE_EXISTING);
        } else if (Files.exists(last)) {
            Files.move(last, dir.resolve(PREVIOUS), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        }
        Files.move(tmp, last, StandardCopyOption.ATOMIC_MOVE);
        AtomicFiles.syncDirectory(dir);
        if (epochCopy > 0) {
            AtomicFiles.copy(last, epochFile(epochCopy));
        }
    }

    /** Existing checkpoint files, newest first: last, previous, then epoch copies by epoch descending. */
    public List<Path> candidates() throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        for (String n : List.of(LAST, PREVIOUS)) {
            if (Files.isRegularFile(dir.resolve(n))) {
                out.add(dir.resolve(n));
            }
        }
        List<Path> epochs = new ArrayList<>();
        try (var files = Files.list(dir)) {
            files.filter(p -> EPOCH.matcher(p.getFileName().toString()).matches()).forEach(epochs::add);
        }
        epochs.sort(Comparator.comparingInt(CheckpointStore::epochOf).reversed());
        out.addAll(epochs);
        return out;
    }

    private static int epochOf(Path p) {
        Matcher m = EPOCH.matcher(p.getFileName().toString());
        return m.matches() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** A loaded checkpoint and the file it came from. */
    public record Loaded<T>(Path file, T value) {}

    /**
     * Loads the newest good checkpoint.
     *
     * @param parser payload parser
     * @param warn   receives one line per corrupt checkpoint skipped
     * @return the checkpoint, or {@code null} if the folder holds none
     * @throws UserException if checkpoints exist but every one is corrupt
     */
    public <T> Loaded<T> loadLatest(CheckpointFile.PayloadReader<T> parser, Consumer<String> warn) {
        return loadLatest(parser, warn, true);
    }

    /**
     * Like {@link #loadLatest(CheckpointFile.PayloadReader, Consumer)}; with {@code whole} false the parser may
     * stop before the end of the payload (e.g. read the model and skip the optimiser state).
     */
    public <T> Loaded<T> loadLatest(CheckpointFile.PayloadReader<T> parser, Consumer<String> warn, boolean whole) {
        try {
            List<Path> files = candidates();
            List<String> problems = new ArrayList<>();
            for (int i = 0; i < files.size(); i++) {
                Path f = files.get(i);
                try {
                    T value = CheckpointFile.read(f, parser, whole);
                    return new Loaded<>(f, value);
                } catch (CorruptCheckpointException | NoSuchFileException e) {
                    corrupt.add(f);
                    problems.add(e.getMessage());
                    String next = i + 1 < files.size() ? "falling back to " + files.get(i + 1).getFileName()
                            : "no older checkpoint left";
                    warn.accept("warning: checkpoint " + f.getFileName() + " is corrupt: " + e.getMessage()
                            + "; " + next);
                }
            }
            if (!problems.isEmpty()) {
                throw new UserException("no usable checkpoint in " + dir + ": " + String.join("; ", problems)
                        + " (delete the folder or pick another run name to start over)");
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoints in " + dir, e);
        }
    }
}
