package org.selfsup.cli;

import java.nio.file.Path;
import org.selfsup.util.UserException;

/** Checks of output-path flags shared by the commands that write files. */
final class OutputFlags {
    private OutputFlags() {}

    /**
     * {@code path} itself, refusing an empty or blank value: {@code --out ""} parses as the empty path,
     * which means the current directory, so {@code export} wrote its files there and {@code embed} and
     * {@code augment preview} failed with confusing file-system errors.
     *
     * @throws UserException naming {@code flag}
     */
    static Path required(String flag, Path path) {
        if (path == null || path.toString().isBlank()) {
            throw new UserException(flag + ": must not be empty (give a file or folder to write)");
        }
        return path;
    }
}
