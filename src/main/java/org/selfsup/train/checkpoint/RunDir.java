package org.selfsup.train.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.selfsup.util.AtomicFiles;
import org.selfsup.util.UserException;

/**
 * The folder {@code runs/NAME/} where one training run writes everything: {@code config.yaml} (effective
 * configuration), {@code metrics.jsonl}, {@code checkpoints/} and the report.
 *
 * <p>While open it holds an exclusive OS lock on {@code .lock} ({@link FileChannel#tryLock}): a second run
 * on the same folder fails with a clear message, and since the OS drops the lock when a process dies, a
 * run killed with kill -9 never leaves the folder stuck.
 */
public final class RunDir implements AutoCloseable {
    /** Lock file name inside the run folder. */
    public static final String LOCK = ".lock";

    private final Path root;
    private final FileChannel lockChannel;
    private final FileLock lock;
    /** What {@link #open} created: the outermost new folder (null if the run folder existed), checkpoints/, .lock. */
    private final Path createdFrom;
    private final boolean createdCheckpoints;
    private final boolean createdLock;

    private RunDir(Path root, FileChannel lockChannel, FileLock lock, Path createdFrom, boolean createdCheckpoints,
                   boolean createdLock) {
        this.root = root;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.createdFrom = createdFrom;
        this.createdCheckpoints = createdCheckpoints;
        this.createdLock = createdLock;
    }

    /**
     * Creates (if needed) and locks {@code runsDir/name}.
     *
     * @throws UserException if the folder cannot be created or written, or another process uses it
     */
    public static RunDir open(Path runsDir, String name) {
        if (name == null || name.isBlank() || name.contains("/") || name.contains("\\") || name.equals("..")) {
            throw new UserException("name: '" + name + "' is not a valid run name (no slashes, not empty)");
        }
        Path root = runsDir.resolve(name);
        Path createdFrom = null;
        for (Path p = root.toAbsolutePath().normalize(); p != null && !Files.exists(p); p = p.getParent()) {
            createdFrom = p;
        }
        boolean createdCheckpoints = !Files.exists(root.resolve("checkpoints"));
        boolean createdLock = !Files.exists(root.resolve(LOCK));
        FileChannel ch = null;
        try {
            Files.createDirectories(root.resolve("checkpoints"));
            ch = FileChannel.open(root.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by this JVM
            }
            if (lock == null) {
                ch.close();
                throw new UserException("run folder " + root + " is in use by another selfsup process"
                        + " (it holds " + root.resolve(LOCK) + "); wait for it to finish or choose another --name");
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)));
            return new RunDir(root, ch, lock, createdFrom, createdCheckpoints, createdLock);
        } catch (IOException e) {
            try {
                if (ch != null) {
                    ch.close();
                }
            } catch (IOException ignored) {
                // already failing
            }
            throw new UserException("cannot write run folder " + root + ": " + org.selfsup.util.IoMessages.reason(e), e);
        }
    }

    /**
     * Checks that {@code runsDir/name} can be created, written and locked, as {@link #open} would, and
     * then removes what the check created: a run that fails before training starts (a data or memory
     * error) leaves no empty run folder behind.
     *
     * @throws UserException as {@link #open}
     */
    public static void probe(Path runsDir, String name) {
        RunDir run = open(runsDir, name);
        run.close();
        run.removeIfUnused();
    }

    /**
     * After {@link #close}, for a start refused before anything was written into the folder (a data-parallel
     * rank disagreeing on the settings, an {@code init-from} file that does not fit the model): removes
     * what {@link #open} created, the lock file and the folders, as long as they are still empty.
     */
    public void removeIfUnused() {
        try {
            if (createdLock) {
                Files.deleteIfExists(root.resolve(LOCK));
            }
            if (createdCheckpoints) {
                Files.deleteIfExists(root.resolve("checkpoints"));
            }
            if (createdFrom != null) {
                for (Path p = root.toAbsolutePath().normalize(); p != null && p.startsWith(createdFrom); p = p.getParent()) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            // not empty (another process started using the folder meanwhile) or not ours to remove: leave it
        }
    }

    /** The run folder. */
    public Path root() {
        return root;
    }

    /** {@code checkpoints/}. */
    public Path checkpoints() {
        return root.resolve("checkpoints");
    }

    /** {@code metrics.jsonl}. */
    public Path metricsFile() {
        return root.resolve("metrics.jsonl");
    }

    /** {@code config.yaml}. */
    public Path configFile() {
        return root.resolve("config.yaml");
    }

    /** Writes the effective configuration ({@code TrainConfig.toYaml()}) to {@code config.yaml}, atomically. */
    public void writeConfig(String yaml) {
        try {
            AtomicFiles.write(configFile(), yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UserException("cannot write " + configFile() + ": " + org.selfsup.util.IoMessages.reason(e), e);
        }
    }

    /** Releases the lock. */
    @Override
    public void close() {
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            // the OS releases the lock with the process anyway
        }
    }
}
