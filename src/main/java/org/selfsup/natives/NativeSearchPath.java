package org.selfsup.natives;

import java.io.File;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Lets JNA find the versioned libraries PyTorch's wheels install. JNA resolves a bare name such as
 * {@code "cudart"} (DJL counts GPUs that way) to {@code libcudart.so.13} only in the folders of
 * {@code jna.library.path}, not in those of {@code LD_LIBRARY_PATH}, where the launcher puts
 * {@code site-packages/nvidia/.../lib}: so those folders are added to {@code jna.library.path} before any
 * library is loaded.
 */
public final class NativeSearchPath {
    private NativeSearchPath() {}

    /**
     * Appends the folders of {@code ldLibraryPath} (colon-separated; may be null) that are not listed yet to
     * the {@code jna.library.path} system property.
     */
    public static void install(String ldLibraryPath) {
        String merged = merge(System.getProperty("jna.library.path"), ldLibraryPath);
        if (!merged.isEmpty()) {
            System.setProperty("jna.library.path", merged);
        }
    }

    /** {@code current} followed by the folders of {@code extra} that it lacks (package-private for tests). */
    static String merge(String current, String extra) {
        Set<String> dirs = new LinkedHashSet<>();
        for (String list : new String[] {current, extra}) {
            if (list == null) {
                continue;
            }
            for (String d : list.split(File.pathSeparator)) {
                if (!d.isBlank()) {
                    dirs.add(d);
                }
            }
        }
        return String.join(File.pathSeparator, dirs);
    }
}
