package org.selfsup.augment.ops;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfsup.cli.CliRun;
import org.selfsup.cli.Main;
import picocli.CommandLine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code selfsup augment check}: exit 0 on the golden set, 1 when an op is off, 2 for unusable folders. */
class AugmentCheckCommandTest {
    @TempDir
    Path tmp;

    private static CliRun run(String... args) {
        return CliRun.execute(args);
    }

    private Path copyGolden() throws IOException {
        Path dir = tmp.resolve("golden");
        Files.createDirectories(dir);
        try (Stream<Path> files = Files.list(GoldenTestData.dir())) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, dir.resolve(f.getFileName().toString()));
            }
        }
        return dir;
    }

    @Test
    void passesOnTheGoldenSet() {
        CliRun r = run("augment", "check", "--golden", GoldenTestData.dir().toString());
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertEquals(28, lines.length, r.out());
        assertTrue(lines[0].startsWith("resized_crop"), lines[0]);
        assertTrue(lines[0].contains("cases=6") && lines[0].contains("identical=1.000000")
                && lines[0].contains("max_abs_diff=0"), lines[0]);
        assertTrue(lines[27].contains("all 27 ops pass"), lines[27]);
    }

    @Test
    void failsWhenAnExpectedOutputIsCorrupted() throws IOException {
        Path dir = copyGolden();
        // case 0 is a resized_crop; push one value far from the reference.
        Path file = dir.resolve("case_0000.u8");
        byte[] data = Files.readAllBytes(file);
        data[100] = (byte) (data[100] ^ 0x80);
        Files.write(file, data);
        CliRun r = run("augment", "check", "--golden", dir.toString());
        assertEquals(1, r.code(), r.out() + r.err());
        String crop = r.out().lines().filter(l -> l.startsWith("resized_crop")).findFirst().orElseThrow();
        assertTrue(crop.contains("max_abs_diff=128") && crop.endsWith("FAIL"), crop);
        assertTrue(r.out().lines().filter(l -> l.endsWith("FAIL")).count() == 1, r.out());
    }

    @Test
    void userErrorForAMissingFolder() {
        CliRun r = run("augment", "check", "--golden", tmp.resolve("nope").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("error: ") && r.err().contains("nope"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    /** A one-case folder with a 2x2 input; {@code line} is the whole cases.jsonl content. */
    private Path tinyFolder(String line, int outputBytes) throws IOException {
        Path dir = tmp.resolve("tiny");
        Files.createDirectories(dir);
        Files.write(dir.resolve("input_00.u8"), new byte[12]);
        Files.write(dir.resolve("case_0000.u8"), new byte[outputBytes]);
        Files.writeString(dir.resolve("cases.jsonl"), line);
        return dir;
    }

    private static String caseLine(String op, String params) {
        return "{\"id\": 0, \"op\": \"" + op + "\", \"params\": " + params + ", \"input\": \"input_00.u8\", "
                + "\"input_height\": 2, \"input_width\": 2, \"output\": \"case_0000.u8\", \"output_height\": 2, "
                + "\"output_width\": 2, \"channels\": 3}\n";
    }

    @Test
    void tinyFolderChecksValues() throws IOException {
        CliRun r = run("augment", "check", "--golden", tinyFolder(caseLine("invert", "{}"), 12).toString());
        // Inverting black gives white, but the expected file is black: one op, fails with diff 255.
        assertEquals(1, r.code(), r.err());
        assertTrue(r.out().contains("max_abs_diff=255"), r.out());
        CliRun ok = run("augment", "check", "--golden",
                tinyFolder(caseLine("brightness", "{\"factor\": 0.5}"), 12).toString());
        assertEquals(0, ok.code(), ok.err());
    }

    @Test
    void resizedCropSizeMayBeHeightAndWidth() throws IOException {
        Path dir = tmp.resolve("rect");
        Files.createDirectories(dir);
        Files.write(dir.resolve("input_00.u8"), new byte[12]);
        Files.write(dir.resolve("case_0000.u8"), new byte[3 * 5 * 3]);
        Files.writeString(dir.resolve("cases.jsonl"), "{\"id\": 0, \"op\": \"resized_crop\", \"params\": "
                + "{\"top\": 0, \"left\": 0, \"height\": 2, \"width\": 2, \"size\": [3, 5]}, "
                + "\"input\": \"input_00.u8\", \"input_height\": 2, \"input_width\": 2, "
                + "\"output\": \"case_0000.u8\", \"output_height\": 3, \"output_width\": 5, \"channels\": 3}\n");
        CliRun r = run("augment", "check", "--golden", dir.toString());
        assertEquals(0, r.code(), r.out() + r.err());
    }

    @Test
    void userErrorForGarbledCases() throws IOException {
        CliRun r = run("augment", "check", "--golden", tinyFolder("{\"id\": 0, \"op\": \n", 12).toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("cases.jsonl line 1"), r.err());
    }

    @Test
    void userErrorForMissingCasesFile() throws IOException {
        Path dir = tmp.resolve("empty");
        Files.createDirectories(dir);
        CliRun r = run("augment", "check", "--golden", dir.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("cases.jsonl"), r.err());
    }

    @Test
    void userErrorForWrongFileSize() throws IOException {
        CliRun r = run("augment", "check", "--golden", tinyFolder(caseLine("hflip", "{}"), 11).toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("case_0000.u8") && r.err().contains("11 bytes"), r.err());
    }

    @Test
    void userErrorForUnknownOpOrBadParams() throws IOException {
        CliRun r = run("augment", "check", "--golden", tinyFolder(caseLine("swirl", "{}"), 12).toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown op 'swirl'"), r.err());
        CliRun p = run("augment", "check", "--golden", tinyFolder(caseLine("rotate", "{\"deg\": 3}"), 12).toString());
        assertEquals(2, p.code());
        assertTrue(p.err().contains("'degrees'"), p.err());
    }
}
