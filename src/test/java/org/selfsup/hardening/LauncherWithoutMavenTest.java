package org.selfsup.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a machine without Maven (a cluster node, a container) the source-tree launcher never deletes a build it
 * cannot replace: with sources newer than the jar it runs the existing build with a warning, and without a
 * build it stops with exit 2 and one line instead of "mvn: command not found".
 */
class LauncherWithoutMavenTest {
    @TempDir
    Path dir;

    /** A PATH folder with every command of /usr/bin and /bin except mvn. */
    private Path pathWithoutMaven() throws IOException {
        Path bin = dir.resolve("bin");
        Files.createDirectories(bin);
        for (String d : new String[] {"/usr/bin", "/bin"}) {
            try (Stream<Path> s = Files.list(Path.of(d))) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    Path link = bin.resolve(p.getFileName().toString());
                    if (!p.getFileName().toString().equals("mvn") && !Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        Files.createSymbolicLink(link, p);
                    }
                }
            }
        }
        return bin;
    }

    private Path tree(boolean built) throws IOException {
        Path root = dir.resolve("tree");
        Files.createDirectories(root.resolve("src/main/sh"));
        Files.copy(Path.of("selfsup"), root.resolve("selfsup"));
        Files.copy(Path.of("src/main/sh/selfsup-env.sh"), root.resolve("src/main/sh/selfsup-env.sh"));
        Files.createDirectories(root.resolve("target"));
        if (built) {
            launcherJar(root.resolve("target/selfsup-0.1.0.jar"));
            Files.createDirectories(root.resolve("target/lib"));
            Files.writeString(root.resolve("target/.selfsup-build-args"), "");
        }
        Path pom = Files.writeString(root.resolve("pom.xml"), "<project/>");
        Files.setLastModifiedTime(pom, FileTime.fromMillis(System.currentTimeMillis() + 3_600_000)); // newer than the jar
        return root;
    }

    /**
     * A jar as the launcher's build leaves it (runnable with {@code java -jar}), made from this test's own class
     * path: under {@code mvn test} the packaged jar and {@code target/lib} do not exist yet.
     */
    private static void launcherJar(Path jar) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.put(Attributes.Name.MAIN_CLASS, "org.selfsup.cli.Main");
        StringBuilder classPath = new StringBuilder();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                classPath.append(classPath.length() == 0 ? "" : " ").append(Path.of(entry).toAbsolutePath().toUri());
            }
        }
        main.put(Attributes.Name.CLASS_PATH, classPath.toString());
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream ignored = new JarOutputStream(out, manifest)) {
            // the manifest is the whole jar
        }
    }

    private String[] run(Path root) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("selfsup").toString(), "--version");
        pb.environment().put("PATH", pathWithoutMaven().toString());
        pb.environment().put("SELFSUP_TORCH", "off");
        pb.environment().remove("JAVA_HOME");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new String[] {String.valueOf(p.waitFor()), out, err};
    }

    @Test
    void anExistingBuildRunsWithAWarning() throws Exception {
        Path root = tree(true);
        String[] r = run(root);
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("selfsup"), r[1]);
        assertTrue(r[2].contains("Maven (mvn) is not installed: running the existing build"), r[2]);
        assertTrue(Files.exists(root.resolve("target/lib")), "the build is kept");
    }

    @Test
    void aJarBuiltByHandAfterTheLaunchersBuildCountsAsStale() throws Exception {
        Path root = tree(true);
        Files.setLastModifiedTime(root.resolve("pom.xml"), FileTime.fromMillis(0)); // sources older than the jar
        Path stamp = root.resolve("target/.selfsup-build-args");
        Files.setLastModifiedTime(stamp, FileTime.fromMillis(System.currentTimeMillis() - 7_200_000)); // jar newer
        String[] r = run(root);
        assertEquals("0", r[0], r[2]);
        assertTrue(r[2].contains("running the existing build"), "the launcher wanted to rebuild: " + r[2]);
        Files.setLastModifiedTime(stamp, FileTime.fromMillis(System.currentTimeMillis() + 7_200_000)); // its own build
        r = run(root);
        assertEquals("", r[2].strip(), "an up-to-date build runs silently");
    }

    @Test
    void noBuildAndNoMavenIsOneLineAndExit2() throws Exception {
        Path root = tree(false);
        String[] r = run(root);
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].startsWith("selfsup: not built yet and Maven (mvn) is not installed"), r[2]);
        assertEquals(1, r[2].strip().lines().count(), r[2]);
        assertFalse(r[2].contains("command not found"), r[2]);
    }
}
