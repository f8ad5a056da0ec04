package org.selfsup.util;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** Turns an {@link IOException} into words for a one-line error (class names mean nothing to a user). */
public final class IoMessages {
    private IoMessages() {}

    /**
     * The failing path and the operating system's reason, e.g. {@code "runs/x: Not a directory"} or
     * {@code "out/a.png: No space left on device"}; never an exception class name.
     */
    public static String reason(IOException io) {
        if (io instanceof FileSystemException fs) {
            String why = fs.getReason() != null ? fs.getReason()
                    : io instanceof AccessDeniedException ? "permission denied"
                    : io instanceof NoSuchFileException ? "no such file or folder"
                    : io instanceof NotDirectoryException ? "not a folder"
                    : io instanceof FileAlreadyExistsException ? "exists and is not a folder (or is in the way)"
                    : io instanceof DirectoryNotEmptyException ? "folder not empty"
                    : "file system error";
            return (fs.getFile() != null ? fs.getFile() + ": " : "") + why
                    + (fs.getOtherFile() != null ? " (" + fs.getOtherFile() + ")" : "");
        }
        String m = io.getMessage();
        return m == null || m.isBlank() || m.contains("Exception") ? "input/output error" : m;
    }
}
