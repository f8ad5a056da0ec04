package org.selfsup.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfsup.cli.CliRun;
import org.selfsup.config.TrainConfig;
import org.selfsup.data.ImageStore;
import org.selfsup.data.Normalization;
import org.selfsup.data.readers.SyntheticImages;
import org.selfsup.encoder.ImportedEncoder;
import org.selfsup.encoder.TorchvisionExport;
import org.selfsup.encoder.TrainedEncoder;
import org.selfsup.method.MethodRegistry;
import org.selfsup.model.ModelSpec;
import org.selfsup.model.SslModel;
import org.selfsup.weights.DType;
import org.selfsup.weights.Safetensors;
import org.selfsup.weights.Tensor;

/** export --format safetensors -> import / --weights: identical parameters and features, and clear errors. */
class TorchvisionExportTest {
    @TempDir
    static Path tmp;
    static Path ckpt;
    static Path file;
    static Map<String, float[]> original = new LinkedHashMap<>();
    static float[] features;
    static final ImageStore IMAGES = SyntheticImages.generate("syn", 4, 2, 16, 1, 0);

    @BeforeAll
    static void exported() throws Exception {
        org.selfsup.model.TorchThreads.single();
        TrainConfig config = TestCheckpoints.syntheticConfig();
        ModelSpec spec = MethodRegistry.modelSpec("rsa", "small", 8, List.of(1, 1, 1, 1), null);
        ckpt = tmp.resolve("c.ckpt");
        try (NDManager m = NDManager.newBaseManager(); SslModel model = SslModel.create(spec, true, true, m, 16, 4)) {
            // non-trivial BatchNorm running statistics, so the test sees whether they travel
            model.networks(new ParameterStore(m, false))
                    .features(ImageTensors.toBatch(m, List.of(IMAGES.rgb(0), IMAGES.rgb(1)), Normalization.CIFAR));
            TestCheckpoints.write(ckpt, config, spec, model, 2);
            for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
                if (e.getKey().startsWith("backbone/")) {
                    original.put(e.getKey(), e.getValue().getArray().toFloatArray());
                }
            }
            features = new FeatureExtractor(Encoders.backbone(model, m), 4).extract(m, IMAGES,
                    TestTransform.plain(Normalization.CIFAR), false).rows(0, 4);
        }
        file = tmp.resolve("out/encoder.safetensors");
        CliRun r = CliRun.execute("export", "--checkpoint", ckpt.toString(), "--format", "safetensors",
                "--include-heads", "--out", file.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("torchvision names"), r.out());
    }

    @Test
    void fileHasTorchvisionNamesAndSidecar() throws Exception {
        Map<String, Tensor> t = Safetensors.read(file).tensors();
        assertEquals(List.of(3L * 3 * 3 * 8), List.of(t.get("conv1.weight").size()));
        assertArrayEquals(new long[] {8, 3, 3, 3}, t.get("conv1.weight").shape());
        assertEquals(DType.I64, t.get("bn1.num_batches_tracked").dtype());
        assertArrayEquals(new long[0], t.get("bn1.num_batches_tracked").shape());
        assertTrue(t.containsKey("layer2.0.downsample.1.running_var"));
        assertTrue(t.containsKey("projector.0.weight") && t.containsKey("predictor.0.weight"));
        assertFalse(t.keySet().stream().anyMatch(k -> k.startsWith("fc.") || k.startsWith("target")));
        assertTrue(t.values().stream().allMatch(x -> x.dtype() == DType.F32 || x.dtype() == DType.I64));
        TorchvisionExport.Sidecar s = TorchvisionExport.readSidecar(file);
        assertEquals("small", s.arch());
        assertEquals("cifar", s.stem());
        assertEquals(16, s.inputSize());
        assertEquals(64, s.featureDim());
        assertEquals("rsa", s.method());
        assertEquals(List.of("projector.", "predictor."), s.headsPrefixes());
        assertArrayEquals(DatasetNormalization.of(TestCheckpoints.syntheticConfig()).mean(), s.mean());
    }

    @Test
    void importGivesIdenticalParametersAndFeatures() {
        List<String> notes = new java.util.ArrayList<>();
        try (NDManager m = NDManager.newBaseManager();
             TrainedEncoder enc = ImportedEncoder.load(file, null, null, null, true, m, notes::add)) {
            assertEquals(original.keySet(), enc.model().namedParameters().keySet());
            enc.model().namedParameters().forEach((k, p) ->
                    assertArrayEquals(original.get(k), p.getArray().toFloatArray(), k));
            float[] f = new FeatureExtractor(Encoders.backbone(enc.model(), m), 4).extract(m, IMAGES,
                    TestTransform.plain(Normalization.CIFAR), false).rows(0, 4);
            assertArrayEquals(features, f, "bit-identical features");
            assertEquals(16, EvalData.inputSize(enc.config()));
        }
        assertEquals(List.of(), notes);
    }

    @Test
    void embedWithWeightsEqualsEmbedWithCheckpoint() throws Exception {
        Path images = Files.createDirectories(tmp.resolve("imgs"));
        for (int i = 0; i < 2; i++) {
            BufferedImage img = new BufferedImage(18, 16 + i, BufferedImage.TYPE_INT_RGB);
            img.setRGB(2, 3 + i, 0x30a0f0 * (i + 1));
            ImageIO.write(img, "png", images.resolve("im" + i + ".png").toFile());
        }
        Path a = tmp.resolve("a.csv");
        Path b = tmp.resolve("b.csv");
        assertEquals(0, CliRun.execute("embed", "--checkpoint", ckpt.toString(), "--images", images.toString(),
                "--out", a.toString()).code());
        CliRun r = CliRun.execute("embed", "--weights", file.toString(), "--images", images.toString(), "--out",
                b.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(Files.readString(a), Files.readString(b));
        CliRun both = CliRun.execute("embed", "--weights", file.toString(), "--checkpoint", ckpt.toString(),
                "--images", images.toString(), "--out", b.toString());
        assertEquals(2, both.code());
        assertTrue(both.err().contains("give one, not both"), both.err());
    }

    /**
     * Issue 22 item 8: the sidecar is held to the configuration's limits (width, blocks, image size), and
     * embed and eval check their batch against the memory before they build or decode anything: exit 2 with
     * one line naming the file or flag, no trace, no CSV. Before: exit 1 with a trace, or gigabytes
     * allocated, or an input size of -5 or 0 silently replaced by a default.
     */
    @Test
    void tamperedSidecarsAreHeldToTheConfigurationLimits() throws Exception {
        Path images = Files.createDirectories(tmp.resolve("side-imgs"));
        ImageIO.write(new BufferedImage(18, 16, BufferedImage.TYPE_INT_RGB), "png", images.resolve("a.png").toFile());
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("/model_spec/width=100000", "model_spec width must be at most 1024 (got 100000)");
        cases.put("/input_size=100000", "input_size must be in 1..4096 (got 100000)");
        cases.put("/model_spec/blocks/0=1000000", "a stage has at most 64 blocks (got 1000000)");
        cases.put("/input_size=-5", "input_size must be in 1..4096 (got -5)");
        cases.put("/input_size=0", "input_size must be in 1..4096 (got 0)");
        cases.put("/std/1=0", "std must be 3 finite values above 0");
        int n = 0;
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Path f = tamperedSidecar("side" + n++, c.getKey());
            Path csv = tmp.resolve("side" + n + ".csv");
            for (String[] cmd : new String[][] {
                    {"embed", "--weights", f.toString(), "--images", images.toString(), "--out", csv.toString()},
                    {"eval", "knn", "--weights", f.toString(), "--dataset", "synthetic"}}) {
                CliRun r = CliRun.execute(cmd);
                assertEquals(2, r.code(), c.getKey() + ": " + r.err());
                assertEquals(1, r.err().strip().lines().count(), r.err());
                assertTrue(r.err().startsWith("error: " + TorchvisionExport.sidecarPath(f) + ": ")
                        && r.err().contains(c.getValue()), c.getKey() + ": " + r.err());
            }
            assertFalse(Files.exists(csv));
        }
        // the largest legal input size: the weights fit, a batch of 4096 such images does not
        Path big = tamperedSidecar("side-4096", "/input_size=4096");
        Path csv = tmp.resolve("big.csv");
        CliRun r = CliRun.execute("embed", "--weights", big.toString(), "--images", images.toString(), "--out",
                csv.toString(), "--batch-size", "4096");
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("error: --batch-size: batch 4096 of 4096 px on small width 8 needs at least"),
                r.err());
        assertFalse(Files.exists(csv));
    }

    /** A copy of the export whose sidecar has {@code edit} ("/json/pointer=number") applied. */
    private static Path tamperedSidecar(String name, String edit) throws Exception {
        Path f = tmp.resolve(name + ".safetensors");
        Files.copy(file, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.JsonNode root = json.readTree(TorchvisionExport.sidecarPath(file).toFile());
        String pointer = edit.substring(0, edit.indexOf('='));
        long value = Long.parseLong(edit.substring(edit.indexOf('=') + 1));
        String parent = pointer.substring(0, pointer.lastIndexOf('/'));
        String key = pointer.substring(pointer.lastIndexOf('/') + 1);
        com.fasterxml.jackson.databind.JsonNode p = parent.isEmpty() ? root : root.at(parent);
        if (p instanceof com.fasterxml.jackson.databind.node.ArrayNode a) {
            a.set(Integer.parseInt(key), a.numberNode(value));
        } else {
            ((com.fasterxml.jackson.databind.node.ObjectNode) p).put(key, value);
        }
        Files.writeString(TorchvisionExport.sidecarPath(f), json.writeValueAsString(root));
        return f;
    }

    /** A copy of the export with {@code edit} applied to its tensors. */
    private static Path edited(String name, java.util.function.Consumer<Map<String, Tensor>> edit) throws Exception {
        Map<String, Tensor> t = new LinkedHashMap<>(Safetensors.read(file).tensors());
        edit.accept(t);
        Path f = tmp.resolve(name + ".safetensors");
        Safetensors.write(f, t, Map.of("arch", "small"));
        Files.copy(TorchvisionExport.sidecarPath(file), TorchvisionExport.sidecarPath(f),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return f;
    }

    @Test
    void importChecksAndReportsClearly() throws Exception {
        CliRun ok = CliRun.execute("import", "--from", file.toString());
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.out().contains("fits small"), ok.out());

        CliRun arch = CliRun.execute("import", "--from", file.toString(), "--arch", "resnet18-cifar");
        assertEquals(2, arch.code());
        assertTrue(arch.err().contains("do not fit the resnet18-cifar model: conv1.weight is [8, 3, 3, 3], the model's "
                + "is [64, 3, 3, 3]"), arch.err());

        Path missing = edited("missing", t -> {
            t.remove("layer1.0.conv1.weight");
            t.remove("bn1.running_var");
        });
        CliRun m = CliRun.execute("import", "--from", missing.toString());
        assertEquals(2, m.code());
        assertTrue(m.err().contains("2 backbone tensors missing: bn1.running_var, layer1.0.conv1.weight"), m.err());
        assertFalse(m.err().contains("Exception"), "no stack trace");

        Path extra = edited("extra", t -> t.put("layer9.weight", Tensor.f32(new long[] {1}, new float[] {1})));
        CliRun e = CliRun.execute("import", "--from", extra.toString());
        assertEquals(2, e.code());
        assertTrue(e.err().contains("1 unexpected tensor: layer9.weight"), e.err()); // issue 22, item 16: not "1 tensors"
        CliRun lenient = CliRun.execute("import", "--from", extra.toString(), "--strict", "false");
        assertEquals(0, lenient.code(), lenient.err());
        assertTrue(lenient.err().contains("warning") && lenient.err().contains("layer9.weight (ignored)"), lenient.err());

        Path nan = edited("nan", t -> {
            float[] v = t.get("bn1.weight").floats().clone();
            v[0] = Float.NaN;
            t.put("bn1.weight", Tensor.f32(t.get("bn1.weight").shape(), v));
        });
        CliRun n = CliRun.execute("import", "--from", nan.toString(), "--out", tmp.resolve("conv.safetensors").toString());
        assertEquals(0, n.code(), n.err());
        assertTrue(n.err().contains("1 tensor holds NaN or infinite values: bn1.weight (1)"), n.err());
        assertTrue(Files.exists(tmp.resolve("conv.safetensors")));
        assertEquals("small", Safetensors.read(tmp.resolve("conv.safetensors")).metadata().get("arch"));
    }
}
