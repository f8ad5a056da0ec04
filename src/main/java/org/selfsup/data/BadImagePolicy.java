package org.selfsup.data;

import org.selfsup.util.UserException;

/** What an image-folder or list-file reader does with a file it cannot decode. */
public enum BadImagePolicy {
    /** Leave the image out and print a warning naming the file (the default). */
    SKIP,
    /** Stop with a user error naming the file. */
    FAIL;

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
