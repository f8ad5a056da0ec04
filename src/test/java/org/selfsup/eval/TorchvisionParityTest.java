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
import org.junit.jupiter.params.provider.CsvSource;
import org.selfsup.encoder.ImportedEncoder;
import org.selfsup.encoder.TrainedEncoder;
import org.selfsup.method.MethodRegistry;
import org.selfsup.model.ModelSpec;
import org.selfsup.model.SslModel;
import org.selfsup.weights.Safetensors;
import org.selfsup.weights.Tensor;
import org.selfsup.weights.WeightExport;

/**
 * selfsup's ResNets against torchvision's, in both directions, through tools/torchvision_parity.py
 * (Debian's /usr/bin/python3 with python3-torch and python3-torchvision; skipped, with the reason, when
 * they are missing). 16 random normalised images, eval mode; max |diff| relative to the largest feature
 * must stay within 1e-4.
 */
class TorchvisionParityTest {
    static final Path PYTHON = Path.of("/usr/bin/python3");
    static final Path SCRIPT = Path.of("tools/torchvision_parity.py");
    static final double TOLERANCE = 1e-4;
    static String unavailable;

    @TempDir
    Path tmp;

    @BeforeAll
    static void python() throws Exception {
        org.selfsup.model.TorchThreads.single();
        if (!Files.isExecutable(PYTHON)) {
            unavailable = PYTHON + " is missing (apt-get install python3-torch python3-torchvision)";
        } else {
            Result r = run(List.of(PYTHON.toString(), "-c", "import torch, torchvision"));
            if (r.code() != 0) {
                unavailable = PYTHON + " has no torch/torchvision (apt-get install python3-torch python3-torchvision): "
                        + r.out().strip();
            }
        }
        if (unavailable != null) {
            System.err.println("TorchvisionParityTest skipped: " + unavailable);
        }
    }

    record Result(int code, String out) {}

    static Result run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            return new Result(-1, "timed out");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    private static Tensor tensor(NDArray a) {
        return Tensor.f32(a.getShape().getShape(), a.toFloatArray());
    }

    /** max |a - b| / max |b|. */
    private static double relativeDiff(float[] a, float[] b) {
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

    @ParameterizedTest(name = "{0} at {1}x{1}")
    @CsvSource({"resnet18-cifar, 32", "resnet50, 64"})
    void sameFeaturesBothWays(String arch, int size) throws Exception {
        Assumptions.assumeTrue(unavailable == null, () -> "skipped: " + unavailable);
        ModelSpec spec = MethodRegistry.modelSpec("simsiam", arch).withoutPredictor();
        Random random = new Random(7);
        Path data = tmp.resolve("data.safetensors");
        Path export = tmp.resolve("export.safetensors");
        try (NDManager m = NDManager.newBaseManager(); SslModel model = SslModel.backboneOnly(spec, m, size)) {
            // BatchNorm affine parameters and running statistics away from 1/0, so they are tested too
            for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
                NDArray a = e.getValue().getArray();
                String k = e.getKey();
                if (k.endsWith("_gamma") || k.endsWith("_runningVar")) {
                    a.set(uniform(random, (int) a.size(), 0.5f, 1.5f));
                } else if (k.endsWith("_beta") || k.endsWith("_runningMean")) {
                    a.set(uniform(random, (int) a.size(), -0.2f, 0.2f));
                }
            }
            NDArray images = m.create(gaussian(random, 16 * 3 * size * size), new Shape(16, 3, size, size));
            NDArray ours = model.features(new ParameterStore(m, false), images, false);
            Map<String, Tensor> d = new LinkedHashMap<>();
            d.put("images", tensor(images));
            d.put("features", tensor(ours));
            Safetensors.write(data, d, Map.of());
            Safetensors.write(export, WeightExport.stateDict(model, false, 0), Map.of("arch", arch));
        }
        System.out.println(arch + " selfsup -> torchvision:");
        Result cmp = run(List.of(PYTHON.toString(), SCRIPT.toString(), "compare", "--arch", arch, "--weights",
                export.toString(), "--data", data.toString(), "--tolerance", String.valueOf(TOLERANCE)));
        System.out.println("  " + cmp.out().strip());
        assertEquals(0, cmp.code(), cmp.out());

        Path pth = tmp.resolve("tv.pth");
        Path st = tmp.resolve("tv.safetensors");
        Path feats = tmp.resolve("tv-features.safetensors");
        Result make = run(List.of(PYTHON.toString(), SCRIPT.toString(), "make", "--arch", arch, "--seed", "3",
                "--data", data.toString(), "--pth", pth.toString(), "--safetensors", st.toString(), "--features",
                feats.toString()));
        assertEquals(0, make.code(), make.out());
        float[] theirs = Safetensors.read(feats).tensors().get("features").floats();
        NDArray images;
        for (Path weights : List.of(pth, st)) {
            List<String> notes = new ArrayList<>();
            try (NDManager m = NDManager.newBaseManager();
                 TrainedEncoder enc = ImportedEncoder.load(weights, arch, null, null, true, m, notes::add)) {
                images = m.create(Safetensors.read(data).tensors().get("images").floats(), new Shape(16, 3, size, size));
                float[] ours = enc.model().features(new ParameterStore(m, false), images, false).toFloatArray();
                System.out.println(arch + " torchvision (" + weights.getFileName() + ") -> selfsup:");
                assertTrue(relativeDiff(ours, theirs) <= TOLERANCE);
            }
            if (weights == pth) {
                assertTrue(notes.stream().anyMatch(n -> n.contains("stripped the prefix 'state_dict.module.'")), notes.toString());
            }
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
