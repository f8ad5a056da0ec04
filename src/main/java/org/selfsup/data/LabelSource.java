package org.selfsup.data;

import java.util.List;
import org.selfsup.util.Labelled;

/** Where an image folder's labels come from ({@code labels}). */
public enum LabelSource implements Labelled {
    /** One sub-folder per class. */
    FOLDERS,
    /** None: every image below the folder is an unlabelled pretraining sample. */
    NONE;

    /** The values of {@code labels}. */
    public static final List<String> LABELS = Labelled.labels(LabelSource.class);
}
