package org.selfsup.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;
import org.selfsup.util.Names;
import org.selfsup.util.UserException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigFileTest {
    @TempDir
    Path dir;

    private static TrainConfig unusual() {
        TrainConfig c = Presets.find("dssl-byol-imagenet").orElseThrow().config();
        c.name = "my-run_2";
        c.dataDir = "/data/imagenet";
        c.blocks = List.of(2, 3, 1);
        c.weightDecay = 1e-6;
        c.seed = 1234567890123L;
        c.nesterov = true;
        c.collapseStd = 0.0025;
        c.cropScaleMin = 0.08;
        c.relativeMagnitudes = true;
        c.validate();
        return c;
    }

    private Path write(String file, String text) throws IOException {
        Path p = dir.resolve(file);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void yamlRoundTrip() throws IOException {
        TrainConfig c = unusual();
        Path p = write("a.yaml", c.toYaml());
        TrainConfig back = TrainConfig.fromFile(p);
        assertEquals(c.toJson(), back.toJson());
        assertEquals(1e-6, back.weightDecay, 0);
        assertEquals(List.of(2, 3, 1), back.blocks);
        assertEquals(1234567890123L, back.seed);
        assertTrue(c.toYaml().contains("batch-size: 512"), c.toYaml());
    }

    @Test
    void jsonRoundTrip() throws IOException {
        TrainConfig c = unusual();
        Path p = write("a.json", c.toJson());
        TrainConfig back = TrainConfig.fromFile(p);
        assertEquals(c, back);
        assertTrue(c.toJson().contains("\"batch-size\":512"), c.toJson());
        assertTrue(c.toJson().contains("\"soft-loss-rate\":0.0"), c.toJson());
    }

    @Test
    void everyKeyIsWrittenInKebabCase() {
        String yaml = new TrainConfig().toYaml();
        for (String key : ConfigKeys.all()) {
            assertTrue(yaml.contains("\n" + key + ":") || yaml.startsWith(key + ":"), key);
        }
        assertEquals(ConfigKeys.all().size(), yaml.lines().filter(l -> !l.startsWith("-")).count());
        assertTrue(ConfigKeys.all().containsAll(List.of("runs-dir", "zero-init-residual", "knn-t", "randaug-n",
                "augment-on", "ema-timing", "collapse-std", "soft-loss-rate", "lr-schedule")));
    }

    @Test
    void copyIsDeep() {
        TrainConfig c = unusual();
        TrainConfig d = c.copy();
        assertEquals(c, d);
        d.blocks = List.of(9);
        d.lr = 7;
        assertNotEquals(c, d);
        assertEquals(List.of(2, 3, 1), c.blocks);
    }

    @Test
    void handWrittenYamlWithShortExponents() throws IOException {
        Path p = write("short.yml", "preset: rsa-cifar10\nweight-decay: 5e-4\nlr: .05\nblocks: 1,2\nname: 12\n");
        TrainConfig c = TrainConfig.fromFile(p);
        assertEquals(5e-4, c.weightDecay, 0);
        assertEquals(0.05, c.lr, 0);
        assertEquals(List.of(1, 2), c.blocks);
        assertEquals("12", c.name);
    }

    @Test
    void layersApplyPresetThenFileThenFlags() throws IOException {
        Path p = write("exp.yaml", "batch-size: 128\nbeta: 0.2\nepochs: 50\n");
        Map<String, String> flags = new LinkedHashMap<>();
        flags.put("beta", "0.3");
        flags.put("seed", "7");
        TrainConfig c = ConfigResolver.resolve("rsa-cifar10", p, ConfigLayer.fromFlags(flags));
        assertEquals("rsa-cifar10", c.preset);
        assertEquals("cifar10", c.dataset);      // preset
        assertEquals(128, c.batchSize);          // file over preset
        assertEquals(50, c.epochs);              // file over preset
        assertEquals(0.3, c.methodOption("beta"), 0);            // flag over file
        assertEquals(7, c.seed);                 // flag
        assertEquals(0.05, c.effectiveLr(), 1e-12);
        assertEquals("exp", c.name);             // config file name
        assertEquals(Path.of("runs", "exp"), c.runDirPath());
    }

    @Test
    void presetComesFromFlagElseFileElseDemo() throws IOException {
        Path p = write("p.yaml", "preset: rsa-cifar100\nname: x\n");
        assertEquals(0.3, ConfigResolver.resolve(null, p, ConfigLayer.empty("f")).methodOption("beta"), 0);
        TrainConfig overridden = ConfigResolver.resolve("rsa-stl10", p, ConfigLayer.empty("f"));
        assertEquals("rsa-stl10", overridden.preset);
        assertEquals("stl10", overridden.dataset);
        Path q = write("q.json", "{\"epochs\": 3}");
        TrainConfig demo = ConfigResolver.resolve("", q, ConfigLayer.empty("f"));
        assertEquals("demo", demo.preset);
        assertEquals(3, demo.epochs);
        assertEquals("q", demo.name);
    }

    @Test
    void emptyFileIsAnEmptyLayer() throws IOException {
        Path p = write("empty.yaml", "");
        assertEquals("demo", TrainConfig.fromFile(p).preset);
    }

    @Test
    void resumeUsesTheSavedConfigOfTheRun() throws IOException {
        TrainConfig saved = Presets.find("rsa-cifar100").orElseThrow().config();
        saved.name = "long";
        saved.runsDir = dir.toString();
        Files.createDirectories(saved.runDirPath());
        Files.writeString(saved.runDirPath().resolve(ConfigResolver.SAVED_CONFIG), saved.toYaml());
        Map<String, String> flags = Map.of("runs-dir", dir.toString(), "name", "long", "epochs", "300");
        TrainConfig c = ConfigResolver.resolveForResume(null, null, ConfigLayer.fromFlags(flags));
        assertEquals("cifar100", c.dataset);
        assertEquals(0.3, c.methodOption("beta"), 0);
        assertEquals(300, c.epochs);
        // Flags that are only valid on top of the saved config (demo has no warm-up schedule).
        TrainConfig dssl = Presets.find("dssl-simsiam-cifar10").orElseThrow().config();
        dssl.name = "dssl";
        dssl.runsDir = dir.toString();
        dssl.saveYaml(dssl.runDirPath().resolve(ConfigResolver.SAVED_CONFIG));
        TrainConfig w = ConfigResolver.resolveForResume(null, null, ConfigLayer.fromFlags(
                Map.of("runs-dir", dir.toString(), "name", "dssl", "warmup-epochs", "5")));
        assertEquals(5, w.warmupEpochs);
        assertEquals("dssl-epoch", w.lrSchedule);
        // Without a saved config the normal layering applies.
        TrainConfig fresh = ConfigResolver.resolveForResume(null, null,
                ConfigLayer.fromFlags(Map.of("runs-dir", dir.toString(), "name", "new")));
        assertEquals("demo", fresh.preset);
    }

    /**
     * Files that must be refused, each with one line naming the file and the rule broken: too large (a 4 MB
     * comment took 13 s and 3 GB before the cap), anything after the first JSON value or YAML document, and
     * bytes that are not UTF-8.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            huge comment     | big.yaml   | is larger than the limit of 64 KiB
            huge json        | big.json   | is larger than the limit of 64 KiB
            json junk        | junk.json  | not valid JSON
            two json objects | two.json   | not valid JSON
            two yaml docs    | two.yaml   | not valid YAML
            latin-1 bytes    | latin.yaml | not UTF-8 text
            """)
    void malformedFilesAreRefusedNamingTheFile(String label, String file, String message) throws IOException {
        Path p = dir.resolve(file);
        switch (label) {
            case "huge comment" -> Files.writeString(p, "epochs: 1\n# " + "x".repeat(4 << 20) + "\n");
            case "huge json" -> Files.writeString(p, "{\"epochs\": 1, \"name\": \"" + "x".repeat(65 << 10) + "\"}");
            case "json junk" -> Files.writeString(p, "{\"epochs\": 1} trailing junk");
            case "two json objects" -> Files.writeString(p, "{\"epochs\": 1}\n{\"epochs\": 2}\n");
            case "two yaml docs" -> Files.writeString(p, "epochs: 1\n---\nepochs: 2\n");
            case "latin-1 bytes" -> Files.write(p, "name: caf\u00e9\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            default -> throw new IllegalArgumentException(label);
        }
        UserException e = assertThrows(UserException.class, () -> TrainConfig.fromFile(p));
        assertTrue(e.getMessage().startsWith("config file " + p), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    @Test
    void fileJustUnderTheSizeLimitIsRead() throws IOException {
        String head = "epochs: 3\n# ";
        Path p = write("padded.yaml", head + "x".repeat(ConfigIo.MAX_FILE_BYTES - head.length() - 1) + "\n");
        assertEquals(ConfigIo.MAX_FILE_BYTES, Files.size(p));
        assertEquals(3, TrainConfig.fromFile(p).epochs);
    }

    /** Issue 22, item 16: a quoted number was read as the number although wrong types are refused. */
    @Test
    void quotedNumbersAndBooleansAreTypeErrorsNamingTheKey() throws IOException {
        Path yaml = write("quoted.yaml", "epochs: \"3\"\n");
        UserException e = assertThrows(UserException.class, () -> TrainConfig.fromFile(yaml));
        assertEquals("config file " + yaml + ": key 'epochs': expected an integer, got the text \"3\" (write the number "
                + "without quotes)", e.getMessage());
        Path single = write("single.yml", "lr: '0.5'\n");
        assertTrue(assertThrows(UserException.class, () -> TrainConfig.fromFile(single)).getMessage()
                .startsWith("config file " + single + ": key 'lr': expected a number, got the text \"0.5\""));
        Path bool = write("bool.yaml", "nesterov: \"true\"\n");
        assertTrue(assertThrows(UserException.class, () -> TrainConfig.fromFile(bool)).getMessage()
                .contains("key 'nesterov': expected true or false, got the text \"true\" (write true or false without quotes)"));
        Path json = write("quoted.json", "{\"epochs\": \"3\"}");
        assertTrue(assertThrows(UserException.class, () -> TrainConfig.fromFile(json)).getMessage()
                .startsWith("config file " + json + ": key 'epochs': expected an integer, got the text \"3\""));
        Path exponent = write("exponent.json", "{\"weight-decay\": \"5e-4\"}"); // JSON has real numbers: text is text
        assertThrows(UserException.class, () -> TrainConfig.fromFile(exponent));
        // plain YAML values keep working, 3e-4 included (YAML 1.1 reads it as text without a dot)
        Path plain = write("plain.yaml", "epochs: 3\nweight-decay: 3e-4\nnesterov: true\nname: \"7\"\n");
        TrainConfig c = TrainConfig.fromFile(plain);
        assertEquals(3, c.epochs);
        assertEquals(3e-4, c.weightDecay, 0);
        assertTrue(c.nesterov);
        assertEquals("7", c.name);
    }

    @Test
    void unknownKeyNamesFileAndSuggests() throws IOException {
        Path p = write("typo.yaml", "batch_size: 64\n");
        UserException e = assertThrows(UserException.class, () -> TrainConfig.fromFile(p));
        assertEquals("config file " + p + ": unknown key 'batch_size' (did you mean 'batch-size'?)", e.getMessage());
    }

    @Test
    void resumeComparesOnlyTrainingKeysAndTakesKeysAddedSinceAsDefaults() {
        TrainConfig saved = new TrainConfig();
        TrainConfig now = saved.copy();
        now.threads = 7; // a run setting: may differ
        assertEquals(List.of(), ConfigKeys.trainingDifferences(saved.toJson(), now.toJson()));
        now.lr = 0.2;
        assertEquals(List.of("lr (checkpoint: 0.1, now: 0.2)"), ConfigKeys.trainingDifferences(saved.toJson(), now.toJson()));
        // a checkpoint written before a method option existed resumes when the option is at its default
        String older = saved.toJson().replace(",\"temperature\":0.5", "");
        assertTrue(!older.contains("temperature"), older);
        assertEquals(List.of(), ConfigKeys.trainingDifferences(older, saved.toJson()));
        TrainConfig hotter = saved.copy();
        hotter.setMethodOption("temperature", 0.2);
        assertEquals(List.of("temperature (checkpoint: 0.5, now: 0.2)"),
                ConfigKeys.trainingDifferences(older, hotter.toJson()));
    }

    @Test
    void runSettingsAreDeclaredOnTheirKeys() {
        // the keys a resume may change (@RunSetting on the field); changing this set changes what resumes
        assertEquals(java.util.Set.of("name", "runs-dir", "data-dir", "threads", "torch-threads", "prefetch",
                "device", "knn-every", "knn-k", "knn-t", "knn-transform", "probe", "online-probe", "embedding-map",
                "tensorboard", "checkpoint-every",
                "checkpoint-steps", "log-every", "collapse-std", "preset", "channels-last", "cudnn-benchmark", "tf32",
                "dist-timeout", "bucket-mb", "cache-dir"), ConfigKeys.RUN_SETTINGS);
        assertTrue(ConfigKeys.all().containsAll(ConfigKeys.RUN_SETTINGS));
    }

    @Test
    void textRoundTripsForCheckpoints() {
        TrainConfig c = unusual();
        assertEquals(c, TrainConfig.fromJson(c.toJson(), "checkpoint x"));
        assertEquals(c, TrainConfig.fromYaml(c.toYaml(), "checkpoint x"));
        UserException unknown = assertThrows(UserException.class,
                () -> TrainConfig.fromJson("{\"lr\": 0.1, \"momentun\": 0.9}", "checkpoint last.ckpt"));
        assertEquals("checkpoint last.ckpt: unknown key 'momentun' (did you mean 'momentum'?)", unknown.getMessage());
        UserException bad = assertThrows(UserException.class,
                () -> TrainConfig.fromJson("{\"beta\": 2}", "checkpoint last.ckpt"));
        assertEquals("checkpoint last.ckpt: key 'beta': must be in [0, 1] (got 2.0)", bad.getMessage());
    }

    @Test
    void saveYamlIsAtomicAndComplete() throws IOException {
        TrainConfig c = unusual();
        Path target = dir.resolve("run").resolve("config.yaml");
        c.saveYaml(target);
        c.saveYaml(target); // overwrite
        assertEquals(c.toYaml(), Files.readString(target));
        try (var files = Files.list(target.getParent())) {
            assertEquals(List.of(target), files.toList());
        }
    }

    @Test
    void mergeProgrammaticValues() {
        TrainConfig c = new TrainConfig().merge(Map.of("epochs", 3, "blocks", List.of(2, 2), "lr", 0.5,
                "seed", 5L, "nesterov", true));
        assertEquals(3, c.epochs);
        assertEquals(List.of(2, 2), c.blocks);
        assertEquals(0.5, c.lr, 0);
        assertEquals(5L, c.seed);
        assertTrue(c.nesterov);
        UserException typo = assertThrows(UserException.class, () -> c.merge(Map.of("epoch", 3)));
        assertEquals("values: unknown key 'epoch' (did you mean 'epochs'?)", typo.getMessage());
        UserException type = assertThrows(UserException.class, () -> c.merge(Map.of("epochs", 2.5)));
        assertEquals("values: key 'epochs': expected an integer, got '2.5'", type.getMessage());
    }

    @Test
    void everyKeyIsDocumented() {
        for (String key : ConfigKeys.all()) {
            assertTrue(ConfigKeys.description(key).length() > 10, key);
        }
    }

    @Test
    void didYouMean() {
        assertEquals(0, Names.distance("abc", "abc"));
        assertEquals(3, Names.distance("kitten", "sitting"));
        assertEquals(1, Names.distance("", "a"));
        assertEquals("batch-size", Names.closest("batchSize", ConfigKeys.all()));
        assertEquals("epochs", Names.closest("epoch", ConfigKeys.all()));
        assertEquals("lars", Names.closest("LARS", ConfigKeys.choices("optimizer")));
        assertEquals("adamw", Names.closest("adam", ConfigKeys.choices("optimizer")));
        assertNull(Names.closest("rmsprop", ConfigKeys.choices("optimizer")));
    }
}
