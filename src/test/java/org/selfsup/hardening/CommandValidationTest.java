package org.selfsup.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad flag values for every command except {@code train} (whose 73 cases live in {@code TrainCommandTest}):
 * each gives exit code 2 and one {@code error:} line naming the flag (or the bad file), no stack trace.
 * Placeholders: {@code CKPT} a real tiny checkpoint, {@code RUN} its run folder, {@code FILE} a regular
 * file, {@code EMPTY} an empty folder, {@code OUT} a fresh output path, {@code NOTHING} the empty string.
 */
class CommandValidationTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void tinyRun() throws Exception {
        Path data = ChildRuns.writeData(dir.resolve("data"));
        List<String> args = ChildRuns.trainArgs(dir.resolve("runs"), "v", data, 1);
        args.set(args.indexOf("--knn-every") + 1, "0");
        ChildRuns.Result r = ChildRuns.inProcess(args);
        assertEquals(0, r.code(), r.all());
        Files.writeString(dir.resolve("file.txt"), "not a folder\n");
        Files.createDirectories(dir.resolve("empty"));
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                // eval knn
                c("--k", "eval knn --checkpoint CKPT --k 0"),
                c("--k", "eval knn --checkpoint CKPT --k -5"),
                c("--k", "eval knn --checkpoint CKPT --k 1.5"),
                c("--t", "eval knn --checkpoint CKPT --t 0"),
                c("--t", "eval knn --checkpoint CKPT --t abc"),
                c("--batch-size", "eval knn --checkpoint CKPT --batch-size 0"),
                c("--checkpoint", "eval knn"),
                c("does-not-exist", "eval knn --checkpoint /does-not-exist.ckpt"),
                c("file.txt", "eval knn --checkpoint FILE"),
                c("nope", "eval knn --checkpoint CKPT --dataset nope"),
                c("--frobnicate", "eval knn --checkpoint CKPT --frobnicate"),
                c("did you mean --batch-size", "eval knn --checkpoint CKPT --batch 5"),
                c("did you mean --count", "augment preview --out OUT --cont 3"),
                // eval linear
                c("--protocol", "eval linear --checkpoint CKPT --protocol nope"),
                c("--protocol", "eval linear --checkpoint CKPT"),
                c("--epochs", "eval linear --checkpoint CKPT --protocol fast --epochs -1"),
                c("--batch-size", "eval linear --checkpoint CKPT --protocol fast --batch-size -1"),
                c("--val-fraction", "eval linear --checkpoint CKPT --protocol fast --val-fraction 1.5"),
                c("--val-fraction", "eval linear --checkpoint CKPT --protocol fast --val-fraction -0.1"),
                c("--extract-batch", "eval linear --checkpoint CKPT --protocol fast --extract-batch 0"),
                c("--seed", "eval linear --checkpoint CKPT --protocol fast --seed x"),
                // augment check / preview
                c("does-not-exist", "augment check --golden /does-not-exist"),
                c("--golden", "augment check"),
                c("--count", "augment preview --out OUT --count 0"),
                c("--count", "augment preview --out OUT --count 1000"),
                c("--scale", "augment preview --out OUT --scale 0"),
                c("--size", "augment preview --out OUT --size -1"),
                c("--randaug-m", "augment preview --out OUT --randaug-m 31"),
                c("--randaug-n", "augment preview --out OUT --randaug-n -1"),
                c("--split", "augment preview --out OUT --split nope"),
                c("--plan", "augment preview --out OUT --plan nope"),
                c("nope", "augment preview --out OUT --dataset nope"),
                c("--out", "augment preview"),
                c("--seed", "augment preview --out OUT --seed 1e3"),
                // data info
                c("nope", "data info --dataset nope"),
                c("--image-size", "data info --image-size -3"),
                c("--on-bad-image", "data info --on-bad-image maybe"),
                c("--data-dir", "data info --dataset mnist"),
                c("does-not-exist", "data info --dataset cifar10 --data-dir /does-not-exist"),
                // bench aug
                c("--threads", "bench aug --threads 0"),
                c("--size", "bench aug --size 2"),
                c("--images", "bench aug --images 10 --batch 20"),
                c("--batch", "bench aug --batch 0"),
                c("--seconds", "bench aug --seconds 0"),
                c("--repeats", "bench aug --repeats 0"),
                c("--plan", "bench aug --plan nope"),
                // report render / compare
                c("does-not-exist", "report render /does-not-exist"),
                c("metrics.jsonl", "report render EMPTY"),
                c("file.txt", "report render FILE"),
                c("does-not-exist", "report compare RUN /does-not-exist --out OUT"),
                // export
                c("does-not-exist", "export --checkpoint /does-not-exist.ckpt --out OUT"),
                c("file.txt", "export --checkpoint FILE --out OUT"),
                c("--out", "export --checkpoint CKPT"),
                c("--format", "export --checkpoint CKPT --out OUT --format onnx"),
                c("--include-heads", "export --checkpoint CKPT --out OUT --include-heads"),
                c("--out", "export --checkpoint CKPT --out EMPTY --format safetensors"),
                // import and --weights
                c("--from", "import"),
                c("does-not-exist", "import --from /does-not-exist.pth"),
                c("file.txt", "import --from FILE"),
                c("--strict", "import --from FILE --strict maybe"),
                c("--weights", "eval knn --checkpoint CKPT --weights FILE"),
                c("--arch", "eval knn --checkpoint CKPT --arch resnet50"),
                c("file.txt", "eval linear --weights FILE --protocol fast"),
                // embed
                c("--batch-size", "embed --checkpoint CKPT --images EMPTY --out OUT --batch-size 0"),
                c("does-not-exist", "embed --checkpoint CKPT --images /does-not-exist --out OUT"),
                c("--images", "embed --checkpoint CKPT --out OUT"),
                // an empty --out is the current directory: refused, not written into (issue 16 item 10)
                c("--out: must not be empty", "export --checkpoint CKPT --out NOTHING"),
                c("--out: must not be empty", "embed --checkpoint CKPT --images EMPTY --out NOTHING"),
                c("--out: must not be empty", "augment preview --out NOTHING"),
                c("--out: must not be empty", "augment preview --out=NOTHING"),
                c("--out: must not be empty", "report compare RUN --out NOTHING"));
    }

    private static Arguments c(String named, String command) {
        return Arguments.of(command, named);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badValueIsOneLineNamingTheFlag(String command, String named) {
        List<String> args = new ArrayList<>();
        for (String a : command.split(" ")) {
            args.add(switch (a) {
                case "CKPT" -> dir.resolve("runs/v/checkpoints/last.ckpt").toString();
                case "RUN" -> dir.resolve("runs/v").toString();
                case "FILE" -> dir.resolve("file.txt").toString();
                case "EMPTY" -> dir.resolve("empty").toString();
                case "OUT" -> dir.resolve("out-" + Math.abs(command.hashCode())).toString();
                case "NOTHING" -> "";
                case "--out=NOTHING" -> "--out=";
                default -> a;
            });
        }
        ChildRuns.Result r = ChildRuns.inProcess(args);
        assertEquals(2, r.code(), r.all());
        List<String> errors = r.err().lines().filter(l -> l.startsWith("error:")).toList();
        assertEquals(1, errors.size(), r.err());
        assertTrue(errors.get(0).contains(named), "names " + named + ": " + r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
        assertTrue(r.err().lines().count() <= 2, r.err()); // the error (+ a "Try --help" hint)
    }
}
