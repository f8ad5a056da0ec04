package org.selfsup.data;

import java.util.List;
import org.selfsup.util.Labelled;
import org.selfsup.util.UserException;

/** What an image-folder or list-file reader does with a file it cannot decode ({@code on-bad-image}). */
public enum BadImagePolicy implements Labelled {
    /** Leave the image out and print a warning naming the file (the default). */
    SKIP,
    /** Stop with a user error naming the file. */
    FAIL;

    /** The values of {@code on-bad-image}. */
    public static final List<String> LABELS = Labelled.labels(BadImagePolicy.class);

    /**
     * Applies the policy to a bad file: under {@link #FAIL} the one-line error naming it; under
     * {@link #SKIP} nothing (the caller warns in its own words and goes on).
     *
     * @throws UserException under {@link #FAIL}
     */
    public void onBadFile(String displayName, String reason) {
        if (this == FAIL) {
            throw new UserException(displayName + ": " + reason + " (--on-bad-image fail)");
        }
    }
}
