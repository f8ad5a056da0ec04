package org.selfsup.train.checkpoint;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The part of a model a checkpoint holds: every parameter (online, target, predictor, BN running
 * statistics), written and restored in place. The training loop's {@code org.selfsup.train.TrainableModel}
 * is one; {@link Checkpoint} needs no more of it.
 */
public interface ModelState {
    /** Writes every parameter (online, target, predictor, BN running statistics). */
    void save(DataOutputStream out) throws IOException;

    /** Restores what {@link #save} wrote, in place of the current values. */
    void load(DataInputStream in) throws IOException;
}
