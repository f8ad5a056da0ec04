package org.selfsup.cli;

/** Ends a command with a specific exit code and a one-line message (no stack trace). */
public final class ExitException extends RuntimeException {
    private final int code;

    public ExitException(int code, String message) {
        super(message);
        this.code = code;
    }

    public int code() {
        return code;
    }
}
