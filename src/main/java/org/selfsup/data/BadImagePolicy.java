package org.selfsup.data;

/** What an image-folder or list-file reader does with a file it cannot decode. */
public enum BadImagePolicy {
    /** Leave the image out and print a warning naming the file (the default). */
    SKIP,
    /** Stop with a user error naming the file. */
    FAIL
}
