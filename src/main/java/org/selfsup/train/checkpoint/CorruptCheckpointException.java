package org.selfsup.train.checkpoint;

import java.io.IOException;

/** A checkpoint file that is truncated, damaged or not a selfsup checkpoint. */
public class CorruptCheckpointException extends IOException {
    public CorruptCheckpointException(String message) {
        super(message);
    }

    public CorruptCheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
