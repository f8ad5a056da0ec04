package org.selfsup.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution's launcher {@code bin/selfsup} (src/main/dist/bin/selfsup) in a distribution layout
 * written by the test, with a fake {@code runtime/bin/java} that prints its command line (no jlink, no
 * build: about a second). It runs the bundled runtime with {@code -cp lib/*}, never a java from JAVA_HOME or
 * the PATH, never Maven, also through a symbolic link; and, sharing lib/selfsup-env.sh with the source tree's
 * {@code ./selfsup}, it prints the same JVM options and GPU set-up. Without a libtorch (the -gpu distribution
 * and no CUDA PyTorch found) it warns before starting Java.
 */
class DistLauncherTest {
    private static final String FAKE_JAVA = """
            #!/usr/bin/env bash
            echo "java=$0"
            for a in "$@"; do echo "arg=$a"; done
            env | grep -E '^(DJL_OFFLINE|OPT_OUT_TRACKING|PYTORCH_[A-Z_]*|LD_LIBRARY_PATH)=' | sort
            """;

    @TempDir
    Path dir;
    private Path home;
    private Path marker;
    private Path trap;

    @BeforeEach
    void layout() throws Exception {
        home = dir.resolve("selfsup-0.1.0");
        Files.createDirectories(home.resolve("lib"));
        executable(home.resolve("bin/selfsup"), Files.readString(Path.of("src/main/dist/bin/selfsup")));
        Files.copy(Path.of("src/main/sh/selfsup-env.sh"), home.resolve("lib/selfsup-env.sh"));
        Files.createFile(home.resolve("lib/pytorch-native-cpu-2.7.1-linux-x86_64.jar")); // the CPU distribution's
        executable(home.resolve("runtime/bin/java"), FAKE_JAVA);
        // a java and a mvn on the PATH and in JAVA_HOME that must not run
        marker = dir.resolve("called");
        trap = dir.resolve("trap");
        String snitch = "#!/bin/sh\necho \"$0\" >> " + marker + "\nexit 97\n";
        for (String tool : List.of("bin/java", "bin/mvn")) {
            executable(trap.resolve(tool), snitch);
        }
    }

    private static void executable(Path file, String text) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private String run(Path launcher, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(launcher.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        Map<String, String> e = pb.environment();
        e.keySet().removeIf(k -> k.startsWith("SELFSUP_") || k.startsWith("PYTORCH_") || k.equals("LD_LIBRARY_PATH")
                || k.equals("VIRTUAL_ENV") || k.equals("CONDA_PREFIX") || k.equals("DJL_OFFLINE"));
        e.put("PATH", trap.resolve("bin") + ":/usr/bin:/bin");
        e.put("JAVA_HOME", trap.toString());
        e.putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertFalse(Files.exists(marker), () -> "called: " + read(marker));
        return out;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (Exception e) {
            return e.toString();
        }
    }

    @Test
    void runsTheBundledRuntimeWithTheJarsOfLib() throws Exception {
        String out = run(home.resolve("bin/selfsup"), Map.of("SELFSUP_HEAP", "3g"), "train", "two words");
        List<String> expected = List.of("java=" + home.resolve("runtime/bin/java"), "arg=-Xmx3g",
                "arg=-XX:+UseParallelGC", "arg=--enable-native-access=ALL-UNNAMED", "arg=-cp", "arg=" + home + "/lib/*",
                "arg=org.selfsup.cli.Main", "arg=train", "arg=two words", "DJL_OFFLINE=true", "OPT_OUT_TRACKING=true");
        assertEquals(expected, out.lines().toList(), out);
    }

    @Test
    void warnsWhenTheGpuDistributionFindsNoLibtorch() throws Exception {
        Files.delete(home.resolve("lib/pytorch-native-cpu-2.7.1-linux-x86_64.jar")); // the -gpu distribution
        Map<String, String> none = Map.of("SELFSUP_TORCH_SITES", dir.resolve("nothing").toString());
        String out = run(home.resolve("bin/selfsup"), none, "--version");
        assertTrue(out.startsWith("selfsup: warning: this distribution has no libtorch of its own and no usable CUDA "
                + "PyTorch was found"), out);
        assertTrue(out.contains("\narg=org.selfsup.cli.Main\narg=--version\n"), "it still runs: " + out);
        Map<String, String> own = new HashMap<>(none);
        own.put("PYTORCH_LIBRARY_PATH", "/my/libtorch");
        assertFalse(run(home.resolve("bin/selfsup"), own, "--version").contains("warning"));
        Map<String, String> online = new HashMap<>(none);
        online.put("DJL_OFFLINE", "false");
        assertFalse(run(home.resolve("bin/selfsup"), online, "--version").contains("warning"), "DJL may download one");
    }

    @Test
    void worksThroughASymbolicLink() throws Exception {
        Path link = Files.createDirectories(dir.resolve("elsewhere")).resolve("selfsup");
        Files.createSymbolicLink(link, home.resolve("bin/selfsup"));
        String out = run(link, Map.of("SELFSUP_JAVA_OPTS", "-Dx=y"), "--version");
        assertTrue(out.startsWith("java=" + home.resolve("runtime/bin/java") + "\narg=-Dx=y\narg=-cp\narg=" + home
                + "/lib/*\n"), out);
    }

    @Test
    void printsTheSameOptionsAndGpuSetUpAsTheSourceTreeLauncher() throws Exception {
        Path site = dir.resolve("venv/lib/python3.11/site-packages");
        Files.createDirectories(site.resolve("torch/lib"));
        Files.createDirectories(site.resolve("nvidia/cuda_runtime/lib"));
        Files.writeString(site.resolve("torch/version.py"), "__version__ = '2.7.1+cu128'\n");
        Files.createFile(site.resolve("torch/lib/libtorch_cuda.so"));
        List<Map<String, String>> cases = List.of(Map.of("SELFSUP_PRINT_JAVA_OPTS", "1"),
                Map.of("SELFSUP_PRINT_JAVA_OPTS", "1", "SELFSUP_HEAP", "5g"),
                Map.of("SELFSUP_PRINT_JAVA_OPTS", "1", "SELFSUP_JAVA_OPTS", "-Xmx1g -Da=b"),
                Map.of("SELFSUP_PRINT_ENV", "1", "SELFSUP_TORCH_SITES", site.toString(), "LD_LIBRARY_PATH", "/opt/keep"),
                Map.of("SELFSUP_PRINT_ENV", "1", "VIRTUAL_ENV", dir.resolve("venv").toString()),
                Map.of("SELFSUP_PRINT_ENV", "1", "SELFSUP_TORCH", "off", "SELFSUP_TORCH_SITES", site.toString()));
        for (Map<String, String> env : cases) {
            String dist = run(home.resolve("bin/selfsup"), env);
            assertEquals(run(Path.of("selfsup").toAbsolutePath(), env), dist, env.toString());
            assertFalse(dist.isBlank(), env.toString());
        }
        Map<String, String> found = new HashMap<>(cases.get(3));
        String env = run(home.resolve("bin/selfsup"), found);
        assertTrue(env.contains("PYTORCH_LIBRARY_PATH=" + site.resolve("torch/lib") + "\n"), env);
        assertTrue(env.contains("LD_LIBRARY_PATH=" + site.resolve("nvidia/cuda_runtime/lib") + ":/opt/keep\n"), env);
    }
}
