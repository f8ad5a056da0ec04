package org.selfsup.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.selfsup.encoder.ImportedEncoder;
import org.selfsup.encoder.TrainedEncoder;
import org.selfsup.method.MethodRegistry;
import org.selfsup.model.Backbone;
import org.selfsup.model.ModelSpec;
import org.selfsup.model.SslModel;
import org.selfsup.weights.Safetensors;
import org.selfsup.weights.Tensor;
import org.selfsup.weights.WeightExport;
import org.selfsup.weights.WeightFiles;
import org.selfsup.weights.WeightImport;

/**
 * selfsup's ViT against torchvision's {@code VisionTransformer} (and timm's when it imports), in both
 * directions, through tools/vit_parity.py: a tiny ViT (depth 2, width 32, 2 heads, 4 px patches, 8x8 images),
 * 16 random normalised images, eval mode, class-token and mean pooling; max |diff| relative to the largest
 * feature within 1e-4. Skipped, with the reason, when /usr/bin/python3 has no torch/torchvision.
 *
 * <p>The Python process gets {@code PYTHONPATH} and {@code LD_LIBRARY_PATH} from
 * {@code SELFSUP_PARITY_PYTHONPATH} and {@code SELFSUP_PARITY_LD_LIBRARY_PATH} when they are set (for a
 * python3-torch unpacked outside the system; the JVM itself never sees them).
 */
class VitParityTest {
    static final Path PYTHON = Path.of("/usr/bin/python3");
    static final Path SCRIPT = Path.of("tools/vit_parity.py");
    static final double TOLERANCE = 1e-4;
    static final int SIZE = 8;
    static String unavailable;

    @TempDir
    Path tmp;

    @BeforeAll
    static void python() throws Exception {
        org.selfsup.model.TorchThreads.single();
        if (!Files.isExecutable(PYTHON)) {
            unavailable = PYTHON + " is missing (apt-get install python3-torch python3-torchvision)";
        } else {
            Result r = run(List.of(PYTHON.toString(), "-c",
                    "import torch, torchvision; torchvision.models.VisionTransformer"));
            if (r.code() != 0) {
                unavailable = PYTHON + " has no torch/torchvision with VisionTransformer (apt-get install python3-torch "
                        + "python3-torchvision): " + r.out().strip();
            }
        }
        if (unavailable != null) {
            System.err.println("VitParityTest skipped: " + unavailable);
        }
    }

    record Result(int code, String out) {}

    static Result run(List<String> cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        String py = System.getenv("SELFSUP_PARITY_PYTHONPATH");
        String ld = System.getenv("SELFSUP_PARITY_LD_LIBRARY_PATH");
        if (py != null) {
            pb.environment().put("PYTHONPATH", py);
        }
        if (ld != null) {
            pb.environment().put("LD_LIBRARY_PATH", ld);
        }
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            return new Result(-1, "timed out");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    static ModelSpec spec(String pooling) {
        return MethodRegistry.modelSpec("byol", Backbone.of("vit", 32, List.of(2), new Backbone.Vit(4, 2, pooling,
                false)), null).withoutPredictor();
    }

    private static List<String> modelArgs(ModelSpec spec) {
        return List.of("--image-size", String.valueOf(SIZE), "--patch-size", String.valueOf(spec.patchSize()),
                "--width", String.valueOf(spec.width()), "--depth", String.valueOf(spec.depth()),
                "--heads", String.valueOf(spec.heads()), "--pooling", spec.pooling());
    }

    private static Tensor tensor(NDArray a) {
        return Tensor.f32(a.getShape().getShape(), a.toFloatArray());
    }

    /** max |a - b| / max |b|. */
    static double relativeDiff(float[] a, float[] b) {
        assertEquals(b.length, a.length);
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs(a[i] - b[i]));
            scale = Math.max(scale, Math.abs(b[i]));
        }
        System.out.printf(Locale.ROOT, "  max |diff| %.3g, feature scale %.3g, relative %.3g%n", diff, scale, diff / scale);
        return diff / scale;
    }

    @ParameterizedTest(name = "pooling {0}")
    @ValueSource(strings = {"cls", "mean"})
    void sameFeaturesBothWays(String pooling) throws Exception {
        Assumptions.assumeTrue(unavailable == null, () -> "skipped: " + unavailable);
        ModelSpec spec = spec(pooling);
        Random random = new Random(7);
        Path data = tmp.resolve("data.safetensors");
        Path export = tmp.resolve("export.safetensors");
        try (NDManager m = NDManager.newBaseManager(); SslModel model = SslModel.backboneOnly(spec, m, SIZE)) {
            // LayerNorms, biases, class token and positions away from their initial 1/0/tiny values
            for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
                NDArray a = e.getValue().getArray();
                String k = e.getKey();
                if (k.contains("norm") && k.endsWith(".weight")) {
                    a.set(uniform(random, (int) a.size(), 0.5f, 1.5f));
                } else if (k.endsWith(".bias") || k.endsWith("cls_token") || k.endsWith("pos_embed")) {
                    a.set(uniform(random, (int) a.size(), -0.5f, 0.5f));
                }
            }
            NDArray images = m.create(gaussian(random, 16 * 3 * SIZE * SIZE), new Shape(16, 3, SIZE, SIZE));
            NDArray ours = model.features(new ParameterStore(m, false), images, false);
            Map<String, Tensor> d = new LinkedHashMap<>();
            d.put("images", tensor(images));
            d.put("features", tensor(ours));
            Safetensors.write(data, d, Map.of());
            Safetensors.write(export, WeightExport.stateDict(model, false, 0), WeightExport.metadata(spec));
        }
        System.out.println("vit (" + pooling + ") selfsup -> torchvision/timm:");
        List<String> cmd = new ArrayList<>(List.of(PYTHON.toString(), SCRIPT.toString(), "compare", "--weights",
                export.toString(), "--data", data.toString(), "--tolerance", String.valueOf(TOLERANCE)));
        cmd.addAll(modelArgs(spec));
        Result cmp = run(cmd);
        System.out.println("  " + cmp.out().strip().replace("\n", "\n  "));
        assertEquals(0, cmp.code(), cmp.out());

        Path pth = tmp.resolve("tv.pth");
        Path st = tmp.resolve("tv.safetensors");
        Path feats = tmp.resolve("tv-features.safetensors");
        cmd = new ArrayList<>(List.of(PYTHON.toString(), SCRIPT.toString(), "make", "--seed", "3", "--data",
                data.toString(), "--pth", pth.toString(), "--safetensors", st.toString(), "--features", feats.toString()));
        cmd.addAll(modelArgs(spec));
        Result make = run(cmd);
        assertEquals(0, make.code(), make.out());
        float[] theirs = Safetensors.read(feats).tensors().get("features").floats();
        float[] pixels = Safetensors.read(data).tensors().get("images").floats();
        // DINO's layout: {'teacher': {'backbone.' + timm name}}; the prefix is found by the patch embedding
        WeightFiles.Selected selected = WeightFiles.select(WeightFiles.read(pth), null);
        assertEquals("teacher.backbone.", selected.prefix());
        try (NDManager m = NDManager.newBaseManager(); SslModel model = SslModel.backboneOnly(spec, m, SIZE)) {
            WeightImport.Report r = WeightImport.apply(selected.tensors(), model, true, pth.toString());
            assertEquals(spec.depth() * 12 + 6, r.loaded());
            NDArray images = m.create(pixels, new Shape(16, 3, SIZE, SIZE));
            float[] ours = model.features(new ParameterStore(m, false), images, false).toFloatArray();
            System.out.println("vit (" + pooling + ") torchvision (tv.pth) -> selfsup:");
            assertTrue(relativeDiff(ours, theirs) <= TOLERANCE);
        }
        // safetensors with a selfsup export's metadata: arch, heads and pooling from it, the rest from the shapes
        List<String> notes = new ArrayList<>();
        try (NDManager m = NDManager.newBaseManager();
             TrainedEncoder enc = ImportedEncoder.load(st, "vit", null, null, true, m, notes::add)) {
            assertEquals(spec, enc.model().spec());
            assertEquals(SIZE, enc.config().imageSize, "the size its position embeddings were made for");
            NDArray images = m.create(pixels, new Shape(16, 3, SIZE, SIZE));
            float[] ours = enc.model().features(new ParameterStore(m, false), images, false).toFloatArray();
            System.out.println("vit (" + pooling + ") torchvision (tv.safetensors) -> selfsup:");
            assertTrue(relativeDiff(ours, theirs) <= TOLERANCE);
        }
    }

    private static float[] uniform(Random r, int n, float lo, float hi) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = lo + (hi - lo) * r.nextFloat();
        }
        return v;
    }

    private static float[] gaussian(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }
}
