package org.selfsup.data;

/**
 * A file that cannot be used as an image, with the reason in words (e.g. {@code "image file is
 * truncated"}, {@code "empty file (0 bytes)"}). Readers turn it into a warning or a user error naming
 * the file, depending on {@link BadImagePolicy}.
 */
public final class BadImageException extends Exception {
    public BadImageException(String reason) {
        super(reason);
    }
}
