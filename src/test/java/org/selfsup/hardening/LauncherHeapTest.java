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
        String opts = javaOpts(Map.of());
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

    @Test
    void heapAndOptionsCanBeOverridden() throws Exception {
        assertEquals("-Xmx3g -XX:+UseParallelGC --enable-native-access=ALL-UNNAMED", javaOpts(Map.of("SELFSUP_HEAP", "3g")));
        assertEquals("-Xmx1g -Dx=y", javaOpts(Map.of("SELFSUP_JAVA_OPTS", "-Xmx1g -Dx=y")));
    }
}
