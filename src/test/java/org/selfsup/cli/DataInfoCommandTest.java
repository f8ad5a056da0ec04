package org.selfsup.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataInfoCommandTest {
    @TempDir
    Path dir;

    private static CliRun run(String... args) {
        return CliRun.execute(args);
    }

    @Test
    void embeddedDataCountsAndStatistics() {
        CliRun r = run("data", "info");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("dataset: fashion-mnist (embedded subset)"), r.out());
        assertTrue(r.out().matches("(?s).*fashion-mnist/train\\s+10000\\s+28x28\\s+1\\s+0\\.28\\d\\d\\s+0\\.35\\d\\d.*"), r.out());
        assertTrue(r.out().matches("(?s).*fashion-mnist/test\\s+2000\\s+28x28\\s+1 .*"), r.out());
        assertTrue(r.out().contains("classes: 10"), r.out());
        assertTrue(r.out().matches("(?s).*9\\s+Ankle boot\\s+1000\\s+200.*"), r.out());
    }

    @Test
    void badDirectoryIsExitTwoWithOneLine() {
        Path missing = dir.resolve("nothing-here");
        CliRun r = run("data", "info", "--dataset", "cifar10", "--data-dir", missing.toString());
        assertEquals(2, r.code());
        assertEquals("error: " + missing + ": cifar10 data directory does not exist", r.err().strip());
        assertEquals("", r.out());
    }

    @Test
    void badFlagValuesAreUserErrors() {
        CliRun r = run("data", "info", "--dataset", "cifar", "--data-dir", dir.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().strip().startsWith("error: --dataset: unknown data set 'cifar'"), r.err());
        assertEquals(1, r.err().strip().lines().count());
        CliRun r2 = run("data", "info", "--dataset", "synthetic", "--on-bad-image", "maybe");
        assertEquals(2, r2.code());
        assertEquals("error: --on-bad-image must be skip or fail, got 'maybe'", r2.err().strip());
    }

    @Test
    void syntheticThroughTheCli() {
        CliRun r = run("data", "info", "--dataset", "synthetic", "--image-size", "24");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("view size: 24"), r.out());
        assertTrue(r.out().matches("(?s).*synthetic/train\\s+1000\\s+32x32\\s+3 .*"), r.out());
    }
}
