package org.selfsup.natives;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The DJL JNI library this process actually loaded, read from {@code /proc/self/maps} (DJL does not say which
 * file it chose), and the libtorch version it was built for: DJL names the folders it keeps JNIs in
 * {@code <version>-<flavor>-<platform>}, and its bundled JNI is for {@value TorchInstall#REQUIRED}.
 *
 * @param path     the loaded file, or empty when none is mapped (the engine has not started)
 * @param builtFor the libtorch version it was built for, or "unknown"
 */
public record LoadedJni(Optional<Path> path, String builtFor) {
    private static final Pattern CACHE_DIR = Pattern.compile("(\\d+\\.\\d+\\.\\d+)-[a-z0-9]+(-precxx11)?-[a-z0-9_-]+");

    /** The JNI mapped into this process. */
    public static LoadedJni find() {
        String jni = System.mapLibraryName("djl_torch");
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
                int slash = line.indexOf('/');
                if (slash >= 0 && line.endsWith(jni)) {
                    Path p = Path.of(line.substring(slash));
                    return new LoadedJni(Optional.of(p), builtFor(p));
                }
            }
        } catch (IOException | RuntimeException e) {
            return new LoadedJni(Optional.empty(), "unknown");
        }
        return new LoadedJni(Optional.empty(), "unknown");
    }

    /**
     * The version a JNI at {@code p} was built for, from its folder's name ({@code 2.7.1-cu128-linux-x86_64});
     * a JNI in a libtorch's own folder is taken to be built for that libtorch (package-private for tests).
     */
    static String builtFor(Path p) {
        Path dir = p.getParent();
        if (dir == null || dir.getFileName() == null) {
            return "unknown";
        }
        Matcher m = CACHE_DIR.matcher(dir.getFileName().toString());
        if (m.matches()) {
            return m.group(1);
        }
        return dir.getFileName().toString().equals("lib") ? "its libtorch (in torch/lib)" : "unknown";
    }

    /** Whether it was built for {@code libtorchVersion} (unknown origins are taken on trust). */
    public boolean matches(String libtorchVersion) {
        return !builtFor.matches("\\d+\\.\\d+\\.\\d+") || libtorchVersion.startsWith(builtFor);
    }

    /** The path and version, in words. */
    public String describe() {
        return path.map(p -> p + " (built for libtorch " + builtFor + ")").orElse("not loaded");
    }
}
