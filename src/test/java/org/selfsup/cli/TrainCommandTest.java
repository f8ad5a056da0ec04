package org.selfsup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.selfsup.config.ConfigKeys;
import org.selfsup.config.Presets;
import org.selfsup.config.TrainConfig;
import org.selfsup.config.TrainJob;
import picocli.CommandLine;

class TrainCommandTest {
    @TempDir
    Path dir;

    /** Records what the command hands to the job. */
    static final class FakeJob implements TrainJob {
        TrainConfig config;
        Boolean resume;

        @Override
        public int run(TrainConfig config, boolean resume, PrintWriter out) {
            this.config = config;
            this.resume = resume;
            out.println("fake job ran");
            return 0;
        }
    }

    record Result(int code, String out, String err) {}

    private Result run(FakeJob job, String... args) {
        CommandLine cl = Main.newCommandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        ((TrainCommand) cl.getSubcommands().get("train").getCommand()).setJob(job);
        String[] full = new String[args.length + 1];
        full[0] = "train";
        System.arraycopy(args, 0, full, 1, args.length);
        int code = cl.execute(full);
        return new Result(code, out.toString(), err.toString());
    }

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void helpListsEveryOption() {
        Result r = run(new FakeJob(), "--help");
        assertEquals(0, r.code());
        for (String key : ConfigKeys.all()) {
            assertTrue(r.out().contains("--" + key + "=") || r.out().contains("--" + key + "[="), "--" + key);
        }
        for (String flag : List.of("--config=FILE", "--resume", "--list-presets", "--print-config", "--help",
                "--version")) {
            assertTrue(r.out().contains(flag), flag);
        }
        String flat = r.out().replaceAll("\\s+", " ");
        assertTrue(flat.contains("--batch-size=<int> Mini-batch size"), flat);
        assertTrue(flat.contains("Default: the preset's value (demo: 128)"), flat);
        assertTrue(flat.contains("Re-running the same command (same --name) continues the run"), flat);
        // --dataset names every data set (issue 22, item 16: shards was missing)
        String dataset = flat.substring(flat.indexOf("--dataset="), flat.indexOf("--dataset=") + 200);
        for (String name : org.selfsup.data.readers.DatasetRegistry.NAMES) {
            assertTrue(dataset.contains(" " + name + ",") || dataset.contains(" " + name + ")")
                    || dataset.contains(" " + name + ".")
                    || dataset.contains("(" + name + ","), name + " in " + dataset);
        }
    }

    @Test
    void runsTheJobWithTheEffectiveConfig() throws IOException {
        Path file = write("exp.yaml", "preset: rsa-cifar10\nbatch-size: 128\nbeta: 0.2\n");
        FakeJob job = new FakeJob();
        Result r = run(job, "--config", file.toString(), "--beta", "0.25", "--runs-dir", dir.toString(),
                "--nesterov", "--blocks", "2,2");
        assertEquals(0, r.code(), r.err());
        assertEquals("rsa-cifar10", job.config.preset);
        assertEquals(128, job.config.batchSize);
        assertEquals(0.25, job.config.methodOption("beta"), 0);
        assertEquals(0.05, job.config.effectiveLr(), 1e-12);
        assertTrue(job.config.nesterov);
        assertEquals(List.of(2, 2), job.config.blocks);
        assertEquals("exp", job.config.name);
        assertEquals(Boolean.FALSE, job.resume);
        assertTrue(r.out().startsWith("run folder: " + dir.resolve("exp") + "\n"), r.out());
        assertTrue(r.out().contains("\n  batch-size: 128\n"), r.out());
        assertTrue(r.out().endsWith("fake job ran\n"), r.out());
        assertEquals("", r.err());
    }

    @Test
    void defaultIsTheDemoPreset() {
        FakeJob job = new FakeJob();
        Result r = run(job, "--resume", "--runs-dir", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("demo", job.config.preset);
        assertEquals("demo", job.config.name);
        assertEquals(Boolean.TRUE, job.resume);
    }

    @Test
    void booleanFlagsTakeAnOptionalValue() {
        FakeJob job = new FakeJob();
        assertEquals(0, run(job, "--zero-init-residual=false", "--relative-magnitudes", "true").code());
        assertFalse(job.config.zeroInitResidual);
        assertTrue(job.config.relativeMagnitudes);
    }

    @Test
    void printConfigPrintsReloadableYamlAndDoesNotTrain() throws IOException {
        FakeJob job = new FakeJob();
        Result r = run(job, "--preset", "dssl-simsiam-cifar10", "--epochs", "100", "--name", "short");
        assertEquals(0, r.code());
        TrainConfig expected = job.config;

        FakeJob notRun = new FakeJob();
        Result printed = run(notRun, "--preset", "dssl-simsiam-cifar10", "--epochs", "100", "--name", "short",
                "--print-config");
        assertEquals(0, printed.code());
        assertNull(notRun.config);
        assertEquals(expected.toYaml(), printed.out());
        assertTrue(printed.out().startsWith("name: short\n"), printed.out());
        assertTrue(printed.out().contains("\nepochs: 100\n"));
        assertTrue(printed.out().contains("\nlr-schedule: dssl-epoch\n"));

        Path saved = write("saved.yaml", printed.out());
        FakeJob again = new FakeJob();
        assertEquals(0, run(again, "--config", saved.toString()).code());
        assertEquals(expected, again.config);
    }

    /** A strategy on a preset's base method takes the strategy's plan, not the preset's (which has other views). */
    @Test
    void aStrategyOnAPresetTakesTheStrategysPlan() {
        FakeJob job = new FakeJob();
        assertEquals(0, run(job, "--preset", "vicreg-cifar10", "--heavy", "dssl").code());
        assertEquals("vicreg", job.config.method);
        assertEquals("dssl-cifar", job.config.effectivePlan());
        assertEquals("vicreg+dssl", job.config.methodDefinition().name());
        FakeJob rsa = new FakeJob();
        assertEquals(0, run(rsa, "--method", "simsiam", "--heavy", "rsa").code());
        assertEquals("rsa", rsa.config.effectivePlan());
    }

    @Test
    void listPresets() {
        Result r = run(new FakeJob(), "--list-presets");
        assertEquals(0, r.code());
        for (String name : Presets.names()) {
            assertTrue(r.out().contains("\n  " + name + " "), name);
        }
        assertTrue(r.out().contains("lr 0.6 (effective 4.8)"), r.out());
        assertTrue(r.out().contains("lr 0.03 (effective 0.06)"), r.out());
    }

    @Test
    void jobExitCodeIsReturned() {
        Result r = run(null, "--print-config");
        assertEquals(0, r.code());
        CommandLine cl = Main.newCommandLine();
        cl.setOut(new PrintWriter(new StringWriter()));
        ((TrainCommand) cl.getSubcommands().get("train").getCommand()).setJob((c, resume, out) -> 3);
        assertEquals(3, cl.execute("train", "--runs-dir", dir.toString()));
    }

    // ---- bad input: exit code 2, one line naming the flag or file key, no stack trace ----

    static Arguments flag(String expected, String... args) {
        return Arguments.of(String.join(" ", args), null, null, args, expected);
    }

    static Arguments file(String fileName, String content, String expected, String... extraArgs) {
        return Arguments.of(fileName + ": " + content.replace("\n", "; "), fileName, content, extraArgs, expected);
    }

    static Stream<Arguments> badInputs() {
        return Stream.of(
                flag("option --batch-size: must be at least 2: BatchNorm needs more than one sample (got 0)",
                        "--batch-size", "0"),
                flag("option --batch-size: expected an integer, got 'abc'", "--batch-size", "abc"),
                flag("option --batch-size: expected an integer, got '1.5'", "--batch-size", "1.5"),
                flag("option --lr: must be positive (got -0.1)", "--lr", "-0.1"),
                flag("option --lr: must be positive (got 0.0)", "--lr=0"),
                flag("option --lr: expected a finite number, got 'NaN'", "--lr", "NaN"),
                flag("option --beta: must be in [0, 1] (got 1.5)", "--beta", "1.5"),
                flag("option --beta: must be in [0, 1] (got -0.1)", "--beta=-0.1"),
                flag("option --crop-scale-min: crop-scale-min 0.9 is greater than crop-scale-max 0.5",
                        "--crop-scale-min", "0.9", "--crop-scale-max", "0.5"),
                flag("option --crop-scale-min: must be in (0, 1] (got 0.0)", "--crop-scale-min", "0"),
                flag("option --randaug-m: RandAugment magnitude must be in 0-30 (got 31)", "--randaug-m", "31"),
                flag("option --hard-m: RandAugment magnitude must be in 0-30 (got -1)", "--hard-m=-1"),
                flag("option --epochs: must be at least 1 (got 0)", "--epochs", "0"),
                flag("option --method: 'rsaa' is not one of " + String.join(", ", org.selfsup.method.MethodRegistry.NAMES)
                        + " (did you mean 'rsa'?)", "--method", "rsaa"),
                flag("option --heavy: 'rsaa' is not one of none, symmetric, rsa, dssl (did you mean 'rsa'?)",
                        "--heavy", "rsaa"),
                flag("option --heavy: method rsa already applies the strategy rsa; dssl goes with a base method ("
                        + String.join(", ", org.selfsup.method.MethodRegistry.BASE_NAMES) + ")",
                        "--method", "rsa", "--heavy", "dssl"),
                flag("option --arch: 'resnet19' is not one of resnet18-cifar, resnet18, resnet34, resnet50, small, "
                        + "vit-tiny, vit-small, vit-base, vit (did you mean 'resnet18'?)", "--arch", "resnet19"),
                flag("option --optimizer: 'adam' is not one of sgd, lars, adamw (did you mean 'adamw'?)",
                        "--optimizer", "adam"),
                flag("option --lr-schedule: 'cosine' is not one of cosine-epoch, warmup-cosine-step, dssl-epoch",
                        "--lr-schedule", "cosine"),
                flag("option --ema-schedule: 'linear' is not one of cosine, constant", "--ema-schedule", "linear"),
                flag("option --ema-timing: 'after' is not one of before-forward, after-step", "--ema-timing",
                        "after"),
                flag("option --lr-scaling: 'sqrt' is not one of linear, none", "--lr-scaling", "sqrt"),
                flag("option --augment-on: 'gpu' is not one of cpu, device", "--augment-on", "gpu"),
                flag("option --precision: 'fp8' is not one of fp32, bf16, fp16", "--precision", "fp8"),
                flag("option --device: 'tpu' is not a device (auto, cpu, gpu or gpu:N)", "--device", "tpu"),
                flag("option --plan: 'rsa-ww' is not one of", "--plan", "rsa-ww"),
                flag("option --nesterov: expected true or false, got 'maybe'", "--nesterov", "maybe"),
                flag("option --nesterov: nesterov is not supported by optimizer lars", "--nesterov",
                        "--optimizer", "lars"),
                flag("option --plan: plan 'rsa' gives views w1, w2, a1, a2 but method byol needs v1, v2",
                        "--method", "byol", "--plan", "rsa"),
                // with --method alone the method's own plan applies (ConfigResolver); an explicit plan is checked
                flag("option --plan: plan 'rsa' gives views w1, w2, a1, a2 but method simsiam needs v1, v2",
                        "--method", "simsiam", "--preset", "rsa-cifar10", "--plan", "rsa"),
                flag("option --warmup-epochs: warmup-epochs 3 has no effect with lr-schedule cosine-epoch",
                        "--warmup-epochs", "3"),
                flag("option --epochs: warmup-epochs (10) must be less than epochs (5)",
                        "--preset", "dssl-simsiam-cifar10", "--epochs", "5"),
                flag("option --preset: unknown preset 'rsa-cifar11' (did you mean 'rsa-cifar10'?)",
                        "--preset", "rsa-cifar11"),
                flag("option --momentum: must be in [0, 1) (got 1.0)", "--momentum", "1"),
                flag("option --weight-decay: must not be negative (got -1.0E-4)", "--weight-decay=-1e-4"),
                flag("option --knn-t: must be positive (got 0.0)", "--knn-t", "0"),
                flag("option --knn-k: must be at least 1 (got 0)", "--knn-k", "0"),
                flag("option --blocks: every stage needs at least 1 block (got 0)", "--blocks", "1,0,1"),
                flag("option --blocks: expected a comma-separated list of integers, got '1,,2'", "--blocks", "1,,2"),
                flag("option --name: '../x' is not a valid run name", "--name", "../x"),
                flag("option --threads: must be at least 1 (got 0)", "--threads", "0"),
                flag("option --torch-threads: must be at least 0 (got -1)", "--torch-threads=-1"),
                flag("option --torch-threads: must be at most 256 (got 257)", "--torch-threads", "257"),
                flag("option --log-every: must be at least 1 (got 0)", "--log-every", "0"),
                flag("option --image-size: must be at least 0 (got -1)", "--image-size=-1"),
                flag("option --width: must be at least 1 (got 0)", "--width", "0"),
                flag("option --width: must be at most 1024 (got 100000)", "--width", "100000"),
                flag("option --batch-size: must be at most 65536 (got 100000)", "--batch-size", "100000"),
                flag("option --epochs: must be at most 100000 (got 1000000000)", "--epochs", "1000000000"),
                flag("option --prefetch: must be at most 64 (got 1000)", "--prefetch", "1000"),
                flag("option --blocks: a stage has at most 64 blocks (got 1000)", "--blocks", "1,1000,1,1"),
                flag("option --image-size: must be at most 4096 (got 5000)", "--image-size", "5000"),
                flag("option --seed: expected an integer, got 'x'", "--seed", "x"),
                flag("option --grid: grid 40 is larger than image-size 28", "--grid", "40"),
                flag("unknown option '--batchsize' (did you mean '--batch-size'?)", "--batchsize", "3"),
                flag("unknown option '--batch_size' (did you mean '--batch-size'?)", "--batch_size=3"),
                flag("unknown option '--learning-rate'; see 'selfsup train --help'", "--learning-rate", "0.1"),
                flag("unexpected argument 'cifar10'", "cifar10"),
                flag("config file " + Path.of("no-such.yaml") + " does not exist", "--config", "no-such.yaml"),
                flag("config file run.txt: unknown extension (use .yaml, .yml or .json)", "--config", "run.txt"),
                file("c.yaml", "batch_size: 64\n",
                        ": unknown key 'batch_size' (did you mean 'batch-size'?)"),
                file("c.yaml", "epoch: 3\n", ": unknown key 'epoch' (did you mean 'epochs'?)"),
                file("c.yaml", "colour-jitter: 0.4\n", ": unknown key 'colour-jitter'"),
                file("c.yaml", "beta: 1.5\n", ": key 'beta': must be in [0, 1] (got 1.5)"),
                file("c.yaml", "batch-size: 0\n", ": key 'batch-size': must be at least 2"),
                file("c.yaml", "batch-size: 1.5\n", ": key 'batch-size': expected an integer, got '1.5'"),
                file("c.yaml", "lr: fast\n", ": key 'lr': expected a number, got 'fast'"),
                file("c.yaml", "nesterov: 3\n", ": key 'nesterov': expected true or false, got '3'"),
                file("c.yaml", "blocks: 2\n", ": key 'blocks': expected a list of integers, got '2'"),
                file("c.yaml", "blocks: [1, 1.5]\n", ": key 'blocks': expected a list of integers, got item '1.5'"),
                file("c.yaml", "lr: [0.1]\n", ": key 'lr': expected a number, got a list"),
                file("c.yaml", "method: {name: rsa}\n", ": key 'method': expected a text value, got a mapping"),
                file("c.yaml", "epochs: ~\n", ": key 'epochs': must not be empty (expected an integer)"),
                file("c.yaml", "optimizer: LARS\n",
                        ": key 'optimizer': 'LARS' is not one of sgd, lars, adamw (did you mean 'lars'?)"),
                file("c.yaml", "crop-scale-min: 0.8\ncrop-scale-max: 0.3\n",
                        ": key 'crop-scale-min': crop-scale-min 0.8 is greater than crop-scale-max 0.3"),
                file("c.yaml", "preset: dmeo\n", ": key 'preset': unknown preset 'dmeo' (did you mean 'demo'?)"),
                file("c.yaml", "randaug-m: 31\n", ": key 'randaug-m': RandAugment magnitude must be in 0-30"),
                file("c.yaml", "batch-size: [1, 2\n", ": not valid YAML at line"),
                file("c.yaml", "- a\n- b\n", ": expected a mapping of keys to values"),
                file("c.yaml", "epochs: 3\nepochs: 4\n", ": not valid YAML"),
                file("c.json", "{\"batch-size\": 0}", ": key 'batch-size': must be at least 2"),
                file("c.json", "{\"randaug-m\": 40}", ": key 'randaug-m': RandAugment magnitude must be in 0-30"),
                file("c.json", "{\"epochs\": 10, \"epochs\": 20}", ": not valid JSON at line 1"),
                file("c.json", "{\"lr\": }", ": not valid JSON at line 1"),
                file("c.json", "{\"method\": \"bayol\"}", ": key 'method': 'bayol' is not one of"),
                file("c.yaml", "preset: dssl-simsiam-cifar10\n", "option --epochs: warmup-epochs (10) must be less "
                        + "than epochs (4)", "--epochs", "4"),
                file("c.yaml", "batch-size: 0\n", "option --batch-size: expected an integer, got 'x'",
                        "--batch-size", "x"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void badInputIsOneLineWithExitCode2(String label, String fileName, String content, String[] args,
            String expected) throws IOException {
        List<String> all = new ArrayList<>();
        String prefix = "";
        if (fileName != null) {
            Path p = write(fileName, content);
            all.add("--config");
            all.add(p.toString());
            prefix = expected.startsWith(":") ? "config file " + p : "";
        }
        all.addAll(Arrays.asList(args));
        all.add("--runs-dir");
        all.add(dir.toString());
        FakeJob job = new FakeJob();
        Result r = run(job, all.toArray(String[]::new));
        assertEquals(2, r.code(), label + " -> " + r.out() + r.err());
        assertNull(job.config, "the job must not run");
        assertTrue(r.err().startsWith("error: " + prefix + expected), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }

    @Test
    void thereAreAtLeastThirtyBadInputs() {
        assertTrue(badInputs().count() >= 30);
    }
}
