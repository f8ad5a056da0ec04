package org.selfsup.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code selfsup doctor} where the engine cannot start (the -gpu distribution without a libtorch, a wrong
 * PYTORCH_LIBRARY_PATH): the report still lists the PyTorch installations and the set-up advice, with exit 2
 * and no stack trace.
 */
class DoctorWithoutEngineTest {
    @TempDir
    Path dir;

    @Test
    void withoutALibtorchTheReportGivesTheSetUpAdviceAndExit2() throws Exception {
        Path log = dir.resolve("doctor.log");
        // as in the -gpu distribution: no bundled CPU libtorch on the class path, none extracted yet, offline
        List<String> cmd = new java.util.ArrayList<>(ChildRuns.command(List.of(), List.of("doctor")));
        int cp = cmd.indexOf("-cp") + 1;
        cmd.set(cp, java.util.Arrays.stream(cmd.get(cp).split(java.io.File.pathSeparator))
                .filter(e -> !e.contains("pytorch-native-cpu")).collect(java.util.stream.Collectors.joining(
                        java.io.File.pathSeparator)));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("ENGINE_CACHE_DIR", dir.resolve("empty-cache").toString());
        pb.environment().put("SELFSUP_TORCH_SITES", dir.toString());
        pb.environment().remove("PYTORCH_LIBRARY_PATH");
        Process p = pb.start();
        assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS));
        String out = Files.readString(log);
        assertEquals(2, p.exitValue(), out);
        assertTrue(out.contains("engine           cannot start: "), out);
        assertTrue(out.contains("PyTorch installations"), out);
        assertTrue(out.contains("GPU set-up: no usable PyTorch"), out);
        assertFalse(out.contains("\tat "), "no stack trace: " + out);
    }
}
