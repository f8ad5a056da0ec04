package org.selfsup.util;

/**
 * An error caused by the user's input (a bad file, flag or configuration value), as opposed to a bug.
 *
 * <p>The CLI prints only the message (no stack trace) and exits with code 2. Messages name the file,
 * flag or key and say what is wrong with it.
 */
public class UserException extends RuntimeException {
    public UserException(String message) {
        super(message);
    }

    public UserException(String message, Throwable cause) {
        super(message, cause);
    }
}
