package org.selfsup.augment;

import java.util.List;
import org.selfsup.util.Labelled;

/** Where the views of a run are augmented ({@code augment-on}). */
public enum AugmentOn implements Labelled {
    /** On the CPU, PIL-exact ({@link BatchAssembler}). */
    CPU,
    /** Batched on the training device ({@code augment.device}). */
    DEVICE;

    /** The values of {@code augment-on}. */
    public static final List<String> LABELS = Labelled.labels(AugmentOn.class);

    /** The value {@code value}; a UserException naming {@code augment-on} for another. */
    public static AugmentOn parse(String value) {
        return Labelled.parse(AugmentOn.class, value, "augment-on");
    }
}
