package org.selfsup.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The launcher {@code ./selfsup} caps the Java heap by default: {@code -Xmx} = half the memory, at most 8g
 * for large work and at most 2g for small work ({@link #defaultHeapFollowsTheWork})
 * ({@code SELFSUP_HEAP} overrides it, {@code SELFSUP_JAVA_OPTS} replaces all options). Checked with
 * {@code SELFSUP_PRINT_JAVA_OPTS=1}, which prints the options without building or starting anything.
 */
class LauncherHeapTest {
    private static String javaOpts(Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", Path.of("selfsup").toAbsolutePath().toString())
                .redirectErrorStream(true);
        pb.environment().remove("SELFSUP_JAVA_OPTS");
        pb.environment().remove("SELFSUP_HEAP");
        pb.environment().put("SELFSUP_PRINT_JAVA_OPTS", "1");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    @Test
    void defaultHeapIsHalfTheMemoryAtMostEightGigabytes() throws Exception {
        String opts = javaOpts(Map.of()); // no command: small work, at most 2 GB
        Matcher m = Pattern.compile("-Xmx(\\d+)m").matcher(opts);
        assertTrue(m.find(), opts);
        long mb = Long.parseLong(m.group(1));
        long totalKb = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                .map(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElseThrow();
        assertTrue(mb <= 8192, opts);
        assertTrue(mb >= 256, opts);
        assertTrue(mb <= Math.max(256, totalKb / 2048), opts + " for " + totalKb + " kB of RAM");
        assertTrue(opts.contains("-XX:+UseParallelGC"), opts);
    }

    /**
     * Issue 22 item 18: small work (the demo, CIFAR, MNIST, synthetic data) gets at most 2 GB, as the parallel
     * collector otherwise grows into whatever the ceiling allows (the demo peaked at 3.5 GB resident with 8 GB);
     * data sets held or evaluated at scale (named in the arguments, the --config file or a --checkpoint run
     * folder's saved configuration) keep half the memory, at most 8 GB.
     */
    @Test
    void defaultHeapFollowsTheWork(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        long totalKb = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                .map(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElseThrow();
        long large = Math.max(256, Math.min(8192, totalKb / 2048));
        long small = Math.min(2048, large);
        for (String args : new String[] {"", "train", "train --preset demo --epochs 2", "eval knn --checkpoint runs/demo",
                "train --dataset cifar10 --data-dir x"}) {
            assertEquals(small, heapMb(args.isEmpty() ? new String[0] : args.split(" ")), args);
        }
        Path run = Files.createDirectories(tmp.resolve("runs/big/checkpoints"));
        Files.writeString(run.getParent().resolve("config.yaml"), "dataset: imagefolder\n");
        Path cfg = Files.writeString(tmp.resolve("stl.yaml"), "preset: rsa-stl10\n");
        for (String[] args : new String[][] {{"train", "--preset", "rsa-stl10"}, {"train", "--dataset", "tinyimagenet"},
                {"train", "--dataset", "imagefolder", "--data-dir", "x"}, {"train", "--config", cfg.toString()},
                {"train", "--config=" + cfg}, {"eval", "knn", "--checkpoint", run.getParent().toString()},
                {"embed", "--checkpoint", run.resolve("last.ckpt").toString(), "--images", "x", "--out", "y"}}) {
            assertEquals(large, heapMb(args), String.join(" ", args));
        }
    }

    private static long heapMb(String... args) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(new java.util.ArrayList<>(java.util.List.of("bash",
                Path.of("selfsup").toAbsolutePath().toString()))).redirectErrorStream(true);
        pb.command().addAll(java.util.List.of(args));
        pb.environment().remove("SELFSUP_JAVA_OPTS");
        pb.environment().remove("SELFSUP_HEAP");
        pb.environment().put("SELFSUP_PRINT_JAVA_OPTS", "1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.waitFor(), out);
        Matcher m = Pattern.compile("-Xmx(\\d+)m").matcher(out);
        assertTrue(m.find(), out);
        return Long.parseLong(m.group(1));
    }

    @Test
    void heapAndOptionsCanBeOverridden() throws Exception {
        assertEquals("-Xmx3g -XX:+UseParallelGC --enable-native-access=ALL-UNNAMED", javaOpts(Map.of("SELFSUP_HEAP", "3g")));
        assertEquals("-Xmx1g -Dx=y", javaOpts(Map.of("SELFSUP_JAVA_OPTS", "-Xmx1g -Dx=y")));
    }
}
