package org.selfsup.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.selfsup.method.MethodRegistry;
import org.selfsup.util.UserException;

class SslModelTest {
    @org.junit.jupiter.api.BeforeAll
    static void singleThreaded() {
        org.selfsup.model.TorchThreads.single();
    }

    static final ModelSpec SPEC = MethodRegistry.modelSpec("rsa", "small", 8, List.of(1, 1, 1, 1), null);

    static float[] values(Parameter p) {
        return p.getArray().toFloatArray();
    }

    @Test
    void targetIsAnExactFrozenCopyOfTheOnlineNetworks() {
        try (NDManager m = NDManager.newBaseManager(); SslModel model = SslModel.create(SPEC, true, true, m, 16, 5)) {
            Map<String, Parameter> named = model.namedParameters();
            int compared = 0;
            for (var e : named.entrySet()) {
                if (e.getKey().startsWith("backbone/") || e.getKey().startsWith("projector/")) {
                    Parameter target = named.get("target." + e.getKey());
                    assertArrayEquals(values(e.getValue()), values(target), e.getKey());
                    assertFalse(target.requiresGradient(), e.getKey());
                    compared++;
                }
            }
            assertEquals(model.targetBackbone().getParameters().size() + model.targetProjector().getParameters().size(),
                    compared);
            // None of the target's parameters is trainable; the optimiser sees online + predictor only.
            int online = 0;
            for (Parameter p : model.trainableParameters()) {
                assertTrue(p.requiresGradient());
                online++;
            }
            long expected = named.entrySet().stream().filter(e -> !e.getKey().startsWith("target."))
                    .filter(e -> e.getValue().requiresGradient()).count();
            assertEquals(expected, online);
        }
    }

    @Test
    void emaPairsCoverTrainableBackboneAndProjectorOnly() {
        try (NDManager m = NDManager.newBaseManager(); SslModel model = SslModel.create(SPEC, true, true, m, 16, 5)) {
            List<NDArray[]> pairs = model.emaPairs();
            long trainableOnline = model.namedParameters().entrySet().stream()
                    .filter(e -> e.getKey().startsWith("backbone/") || e.getKey().startsWith("projector/"))
                    .filter(e -> e.getValue().requiresGradient()).count();
            assertEquals(trainableOnline, pairs.size());
            for (NDArray[] pair : pairs) {
                String name = pair[1].getName();
                assertFalse(name.contains("running"), "EMA pair on " + name);
                assertEquals(pair[0].getShape(), pair[1].getShape());
            }
            // Non-affine BN (SimSiam CIFAR projector output) has frozen gamma/beta: not trainable, not averaged.
            ModelSpec simsiam = MethodRegistry.modelSpec("simsiam", "small", 8, List.of(1, 1, 1, 1), null);
            try (SslModel s = SslModel.create(simsiam, true, true, m, 16, 5)) {
                long affineFlags = s.namedParameters().entrySet().stream()
                        .filter(e -> e.getKey().startsWith("projector/") && e.getKey().endsWith("gamma"))
                        .filter(e -> e.getValue().requiresGradient()).count();
                assertEquals(1, affineFlags); // hidden BN affine, output BN plain
            }
        }
    }

    @Test
    void trainingForwardUpdatesBatchNormRunningStatsWithPyTorchMomentum() {
        try (NDManager m = NDManager.newBaseManager(); SslModel model = SslModel.create(SPEC, true, true, m, 16, 5)) {
            ParameterStore ps = new ParameterStore(m, false);
            Parameter mean = model.namedParameters().get("backbone/02BatchNorm_runningMean");
            Parameter var = model.namedParameters().get("backbone/02BatchNorm_runningVar");
            Parameter targetMean = model.namedParameters().get("target.backbone/02BatchNorm_runningMean");
            float[] before = values(mean);
            try (NDManager step = m.newSubManager()) {
                NDArray x = step.randomNormal(new Shape(4, 3, 16, 16)).add(3);
                // Expected: running = 0.9 * running + 0.1 * batch statistic (PyTorch momentum 0.1, unbiased var).
                NDArray conv = model.backbone().getChildren().get(0).getValue()
                        .forward(ps, new ai.djl.ndarray.NDList(x), true).singletonOrThrow();
                NDArray perChannel = conv.transpose(1, 0, 2, 3).reshape(conv.getShape().get(1), -1);
                float[] batchMean = perChannel.mean(new int[] {1}).toFloatArray();
                long n = perChannel.getShape().get(1);
                NDArray centred = perChannel.sub(perChannel.mean(new int[] {1}, true));
                float[] batchVar = centred.square().sum(new int[] {1}).div(n - 1).toFloatArray();
                model.features(ps, x, true);
                float[] after = values(mean);
                float[] afterVar = values(var);
                for (int c = 0; c < after.length; c++) {
                    assertEquals(0.9f * before[c] + 0.1f * batchMean[c], after[c], 1e-4, "mean " + c);
                    assertEquals(0.9f * 1f + 0.1f * batchVar[c], afterVar[c], 1e-3, "var " + c);
                }
                // Evaluation mode leaves them alone.
                model.features(ps, x, false);
                assertArrayEquals(after, values(mean));
                // The target runs in training mode too and updates its own statistics.
                float[] targetBefore = values(targetMean);
                NDArray z = model.networks(ps).targetProject(x);
                assertFalse(Arrays.equals(targetBefore, values(targetMean)));
                assertFalse(z.hasGradient());
            }
        }
    }

    @Test
    void targetProjectionIsDetached() {
        try (NDManager m = NDManager.newBaseManager(); SslModel model = SslModel.create(SPEC, true, true, m, 16, 5)) {
            ParameterStore ps = new ParameterStore(m, false);
            try (NDManager step = m.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                Networks nets = model.networks(ps);
                NDArray x = step.randomNormal(new Shape(4, 3, 16, 16));
                NDArray p = nets.predict(nets.project(x));
                NDArray z = nets.targetProject(x);
                gc.backward(p.mul(z).sum());
                for (var e : model.namedParameters().entrySet()) {
                    if (e.getKey().startsWith("target.")) {
                        assertFalse(e.getValue().getArray().hasGradient(), e.getKey());
                    }
                }
                Parameter w = model.namedParameters().get("predictor/01Linear_weight");
                try (NDArray g = w.getArray().getGradient()) {
                    assertTrue(g.abs().sum().getFloat() > 0);
                }
            }
        }
    }

    @Test
    void saveAndLoadRoundTripAllParameters() {
        try (NDManager m = NDManager.newBaseManager();
             SslModel a = SslModel.create(SPEC, true, true, m, 16, 5);
             SslModel b = SslModel.create(SPEC, true, true, m, 16, 6)) {
            // Make running stats non-trivial so they are part of the check.
            a.features(new ParameterStore(m, false), m.randomNormal(new Shape(4, 3, 16, 16)), true);
            byte[] bytes = save(a::save);
            b.load(new DataInputStream(new ByteArrayInputStream(bytes)));
            List<Parameter> pa = a.allParameters();
            List<Parameter> pb = b.allParameters();
            assertEquals(pa.size(), pb.size());
            for (int i = 0; i < pa.size(); i++) {
                assertArrayEquals(values(pa.get(i)), values(pb.get(i)));
            }
            // Gradients still flow after load (values set in place, gradients kept attached).
            ParameterStore ps = new ParameterStore(m, false);
            try (NDManager step = m.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(b.networks(ps).project(step.randomNormal(new Shape(4, 3, 16, 16))).sum());
                try (NDArray g = b.namedParameters().get("projector/01Linear_weight").getArray().getGradient()) {
                    assertTrue(g.abs().sum().getFloat() > 0);
                }
            }
            // A model of another layout refuses the stream with a clear message.
            try (SslModel c = SslModel.create(MethodRegistry.modelSpec("rsa", "small", 16, List.of(1, 1, 1, 1), null),
                    true, true, m, 16, 5)) {
                UserException e = assertThrows(UserException.class,
                        () -> c.load(new DataInputStream(new ByteArrayInputStream(bytes))));
                assertTrue(e.getMessage().contains("shape"), e.getMessage());
            }
            try (SslModel noTarget = SslModel.create(SPEC, false, true, m, 16, 5)) {
                UserException e = assertThrows(UserException.class,
                        () -> noTarget.load(new DataInputStream(new ByteArrayInputStream(bytes))));
                assertTrue(e.getMessage().contains("unexpected"), e.getMessage());
            }
        }
    }

    @Test
    void backboneExportLoadsIntoABackboneOnlyModel() {
        try (NDManager m = NDManager.newBaseManager(); SslModel a = SslModel.create(SPEC, true, true, m, 16, 5)) {
            ParameterStore ps = new ParameterStore(m, false);
            NDArray x = m.randomNormal(new Shape(3, 3, 16, 16));
            a.features(ps, x, true);
            float[] expected = a.features(ps, x, false).toFloatArray();
            for (byte[] bytes : List.of(save(a::saveBackbone), save(a::save))) {
                try (SslModel b = SslModel.loadBackbone(SPEC, new DataInputStream(new ByteArrayInputStream(bytes)), m, 16)) {
                    assertNull(b.projector());
                    assertNull(b.targetBackbone());
                    assertArrayEquals(expected, b.features(ps, x, false).toFloatArray(), 1e-6f);
                }
            }
        }
    }

    @Test
    void constantsAreCachedOnTheModel() {
        try (NDManager m = NDManager.newBaseManager(); SslModel model = SslModel.create(SPEC, false, true, m, 16, 5)) {
            Networks nets = model.networks(new ParameterStore(m, false));
            NDArray like = m.zeros(new Shape(2));
            assertSame(nets.constant(0.5f, like), nets.constant(0.5f, like));
            assertEquals(0.5f, nets.constant(0.5f, like).getFloat());
        }
    }

    interface Writer {
        void write(DataOutputStream out);
    }

    static byte[] save(Writer w) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bos);
        w.write(out);
        try {
            out.flush();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return bos.toByteArray();
    }
}
