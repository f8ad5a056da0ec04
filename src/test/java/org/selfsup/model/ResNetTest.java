package org.selfsup.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.selfsup.method.MethodRegistry;

class ResNetTest {
    @org.junit.jupiter.api.BeforeAll
    static void singleThreaded() {
        org.selfsup.model.TorchThreads.single();
    }


    static long trainableCount(SslModel model, String prefix) {
        return model.namedParameters().entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix) && e.getValue().requiresGradient())
                .mapToLong(e -> e.getValue().getArray().size()).sum();
    }

    @Test
    void resnet18CifarMatchesTorchvisionShapeAndParameterCount() {
        try (NDManager m = NDManager.newBaseManager();
             SslModel model = SslModel.create(MethodRegistry.modelSpec("rsa", "resnet18-cifar"), false, true, m, 32, 1)) {
            // torchvision resnet18 without fc: 11,176,512; the 3x3 CIFAR conv1 has 1,728 instead of 9,408 weights.
            assertEquals(11_176_512L - 9_408 + 1_728, trainableCount(model, SslModel.BACKBONE));
            assertEquals(11_168_832L, trainableCount(model, SslModel.BACKBONE));
            ParameterStore ps = new ParameterStore(m, false);
            NDArray x = m.randomNormal(new Shape(2, 3, 32, 32));
            assertEquals(new Shape(2, 512), model.features(ps, x, false).getShape());
            // RSA heads: 512 -> 1024 -> 128 (no bias on the last Linear), BN1d affine.
            long projector = 512 * 1024 + 1024 + 2 * 1024 + 1024 * 128;
            assertEquals(projector, trainableCount(model, SslModel.PROJECTOR));
        }
    }

    @Test
    void resnet50HasTorchvisionParameterCountAnd2048Features() {
        try (NDManager m = NDManager.newBaseManager();
             SslModel model = SslModel.create(MethodRegistry.modelSpec("byol", "resnet50"), false, false, m, 32, 1)) {
            assertEquals(23_508_032L, trainableCount(model, SslModel.BACKBONE));
            ParameterStore ps = new ParameterStore(m, false);
            NDArray x = m.randomNormal(new Shape(2, 3, 32, 32));
            assertEquals(new Shape(2, 2048), model.features(ps, x, false).getShape());
        }
    }

    @Test
    void resnet34HasTorchvisionParameterCount() {
        try (NDManager m = NDManager.newBaseManager();
             SslModel model = SslModel.create(MethodRegistry.modelSpec("byol", "resnet34"), false, false, m, 32, 1)) {
            // torchvision resnet34: 21,797,672 including fc 512*1000+1000.
            assertEquals(21_797_672L - 513_000, trainableCount(model, SslModel.BACKBONE));
        }
    }

    @Test
    void smallResNetTrainsForwardAndBackward() {
        ModelSpec spec = MethodRegistry.modelSpec("simsiam", "small", 8, List.of(1, 1, 1, 1), null);
        try (NDManager m = NDManager.newBaseManager();
             SslModel model = SslModel.create(spec, false, true, m, 16, 3)) {
            ParameterStore ps = new ParameterStore(m, false);
            try (NDManager step = m.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray x = step.randomNormal(new Shape(4, 3, 16, 16));
                NDArray f = model.features(ps, x, true);
                assertEquals(new Shape(4, 64), f.getShape());
                NDArray z = model.networks(ps).project(x);
                assertEquals(new Shape(4, spec.projector().outDim()), z.getShape());
                gc.backward(z.square().sum());
                for (Parameter p : model.trainableParameters()) {
                    if (p.getName().equals("weight") && model.backbone().getParameters().values().contains(p)) {
                        try (NDArray g = p.getArray().getGradient()) {
                            assertTrue(g.abs().sum().getFloat() > 0, "no gradient for a backbone weight");
                        }
                    }
                }
            }
        }
    }

    static void assertBounded(float[] values, double bound) {
        double max = 0;
        for (float v : values) {
            max = Math.max(max, Math.abs(v));
        }
        assertTrue(max <= bound && max > 0.7 * bound, "max |value| " + max + " for bound " + bound);
    }

    @Test
    void uniformInitForTheDsslSimSiamFamily() {
        ModelSpec spec = MethodRegistry.modelSpec("dssl-simsiam", "small", 8, List.of(1, 1, 1, 1), null);
        try (NDManager m = NDManager.newBaseManager(); SslModel model = SslModel.create(spec, false, true, m, 16, 7)) {
            var named = model.namedParameters();
            // Every conv U(+-1/sqrt(fan_in)), e.g. the 3x3 8->8 conv of stage 1: fan_in 72; no zero-init.
            Parameter conv = named.entrySet().stream()
                    .filter(e -> e.getKey().startsWith("backbone/04") && e.getKey().endsWith("Conv2d_weight"))
                    .findFirst().orElseThrow().getValue();
            assertBounded(conv.getArray().toFloatArray(), 1 / Math.sqrt(72));
            assertTrue(named.entrySet().stream().filter(e -> e.getKey().endsWith("gamma"))
                    .allMatch(e -> e.getValue().getArray().sub(1).abs().sum().getFloat() == 0f));
        }
    }

    @Test
    void initFollowsTorchvisionRules() {
        ModelSpec spec = MethodRegistry.modelSpec("rsa", "small", 8, List.of(1, 1, 1, 1), null);
        try (NDManager m = NDManager.newBaseManager();
             SslModel model = SslModel.create(spec, false, true, m, 16, 7)) {
            var named = model.namedParameters();
            // CIFAR stem conv (3x3x3 -> 8): PyTorch default U(+-1/sqrt(27)).
            float[] stem = named.get("backbone/01Conv2d_weight").getArray().toFloatArray();
            double bound = 1 / Math.sqrt(27);
            double max = 0;
            for (float v : stem) {
                max = Math.max(max, Math.abs(v));
            }
            assertTrue(max <= bound && max > 0.8 * bound, "stem init bound " + max);
            // A 3x3 conv 8->8 in stage 1: Kaiming normal fan_out = 8*9 -> std sqrt(2/72).
            Parameter conv = named.entrySet().stream()
                    .filter(e -> e.getKey().startsWith("backbone/04") && e.getKey().endsWith("Conv2d_weight"))
                    .findFirst().orElseThrow().getValue();
            float[] w = conv.getArray().toFloatArray();
            double var = 0;
            for (float v : w) {
                var += v * v;
            }
            double std = Math.sqrt(var / w.length);
            assertEquals(Math.sqrt(2.0 / 72), std, 0.2 * Math.sqrt(2.0 / 72));
            // Zero-init residual: the last BN gamma of each branch is 0, the others 1.
            long zeroGammas = named.entrySet().stream()
                    .filter(e -> e.getKey().startsWith("backbone/") && e.getKey().endsWith("gamma"))
                    .filter(e -> e.getValue().getArray().abs().sum().getFloat() == 0f).count();
            assertEquals(4, zeroGammas);
            // Linear (projector 64 -> 128): weight and bias ~ U(+-1/sqrt(64)).
            assertBounded(named.get("projector/01Linear_weight").getArray().toFloatArray(), 1 / Math.sqrt(64));
            assertBounded(named.get("projector/01Linear_bias").getArray().toFloatArray(), 1 / Math.sqrt(64));
            // Same seed, same values; another seed, other values.
            try (SslModel again = SslModel.create(spec, false, true, m, 16, 7);
                 SslModel other = SslModel.create(spec, false, true, m, 16, 8)) {
                assertArrayEquals(stem, again.namedParameters().get("backbone/01Conv2d_weight").getArray().toFloatArray());
                assertTrue(!java.util.Arrays.equals(stem,
                        other.namedParameters().get("backbone/01Conv2d_weight").getArray().toFloatArray()));
            }
        }
    }
}
