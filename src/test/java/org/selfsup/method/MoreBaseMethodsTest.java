package org.selfsup.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.selfsup.model.HeadSpec;
import org.selfsup.model.ModelSpec;
import org.selfsup.model.SslModel;
import org.selfsup.train.Ema;
import org.selfsup.train.Schedules;

/**
 * VICReg, Barlow Twins and MoCo v3: their declarations (views, plan, target, options, heads with the
 * papers' widths) and a few steps on a tiny real model in which every trainable parameter receives a
 * non-zero gradient and the number of live native arrays stays flat from step to step. The loss values
 * are checked against the Python reference in {@link SslLossesReferenceTest}; every registered method
 * also runs in {@code MethodsOnModelTest}.
 */
class MoreBaseMethodsTest {
    @BeforeAll
    static void singleThreaded() {
        org.selfsup.model.TorchThreads.single();
    }

    @Test
    void declarationsGiveThePapersDefaultsAndHeads() {
        MethodDefinition v = MethodRegistry.get("vicreg");
        assertEquals(List.of("v1", "v2"), v.views());
        assertFalse(v.usesTarget());
        assertEquals("byol", v.defaultPlan());
        Map<String, Double> d = MethodRegistry.optionDefaults();
        assertEquals(25.0, d.get("vicreg-invariance"));
        assertEquals(25.0, d.get("vicreg-variance"));
        assertEquals(1.0, d.get("vicreg-covariance"));
        ModelSpec vr50 = MethodRegistry.modelSpec("vicreg", "resnet50");
        assertEquals(List.of(8192, 8192, 8192), vr50.projector().layers().stream().map(HeadSpec.Layer::out).toList());
        assertNull(vr50.predictor());
        assertTrue(vr50.zeroInitResidual());

        MethodDefinition b = MethodRegistry.get("barlow-twins");
        assertEquals("byol", b.defaultPlan());
        assertFalse(b.usesTarget());
        assertEquals(5e-3, d.get("barlow-lambda"));
        ModelSpec br50 = MethodRegistry.modelSpec("barlow-twins", "resnet50");
        assertEquals(3, br50.projector().layers().size());
        assertTrue(br50.projector().layers().stream().noneMatch(HeadSpec.Layer::bias), "no biases");

        MethodDefinition m = MethodRegistry.get("mocov3");
        assertTrue(m.usesTarget());
        assertEquals("byol", m.defaultPlan());
        assertEquals(1.0, d.get("moco-t"));
        ModelSpec mr50 = MethodRegistry.modelSpec("mocov3", "resnet50");
        // moco/builder.py MoCo_ResNet: projector _build_mlp(2, 2048, 4096, 256), predictor _build_mlp(2, .., False)
        assertEquals(List.of(4096, 256), mr50.projector().layers().stream().map(HeadSpec.Layer::out).toList());
        assertEquals(HeadSpec.Norm.PLAIN, mr50.projector().layers().get(1).norm(), "last BN without affine");
        assertNotNull(mr50.predictor());
        assertEquals(List.of(4096, 256), mr50.predictor().layers().stream().map(HeadSpec.Layer::out).toList());
        assertEquals(HeadSpec.Norm.NONE, mr50.predictor().layers().get(1).norm(), "last_bn=False");
        // MoCo_ViT: projector _build_mlp(3, 384, 4096, 256), predictor _build_mlp(2, 256, 4096, 256) with last BN
        ModelSpec mvit = MethodRegistry.modelSpec("mocov3", org.selfsup.model.Backbone.of("vit-small", 0, List.of()),
                null);
        assertEquals(List.of(4096, 4096, 256), mvit.projector().layers().stream().map(HeadSpec.Layer::out).toList());
        assertEquals(HeadSpec.Norm.PLAIN, mvit.projector().layers().get(2).norm());
        assertEquals(List.of(4096, 256), mvit.predictor().layers().stream().map(HeadSpec.Layer::out).toList());
        assertEquals(HeadSpec.Norm.PLAIN, mvit.predictor().layers().get(1).norm(), "ViT predictor keeps last_bn");
        for (ModelSpec s : List.of(mr50, mvit)) {
            assertTrue(s.projector().layers().stream().noneMatch(HeadSpec.Layer::bias), "no biases");
            assertTrue(s.predictor().layers().stream().noneMatch(HeadSpec.Layer::bias), "no biases");
        }
        // the small arch scales the widths with D/512 (width 8: D = 64)
        assertEquals(1024, MethodRegistry.modelSpec("vicreg", "small", 8, List.of(1, 1, 1, 1), null)
                .projector().outDim());
    }

    /** Five steps of plain SGD on random views; returns the loss terms' keys. */
    private static Set<String> stepsWithEveryGradientAndFlatArrays(String name) {
        SslMethod method = MethodRegistry.create(name, MethodOptions.defaults());
        // zero-init-residual off: with the last BN of each block at 0 the convolutions before it get no
        // gradient at the first step (by design), which would hide a real gap in the graph
        ModelSpec spec = MethodRegistry.modelSpec(name, "small", 4, List.of(1, 1, 1, 1), false);
        try (NDManager root = NDManager.newBaseManager();
             SslModel model = SslModel.create(spec, method.usesTarget(), spec.predictor() != null, root, 8, 3);
             Ema ema = method.usesTarget() ? new Ema(model.emaPairs(), root) : null) {
            ParameterStore ps = new ParameterStore(root, false);
            List<Integer> live = new ArrayList<>();
            Set<String> terms = Set.of();
            for (int k = 1; k <= 5; k++) {
                try (NDManager step = root.newSubManager()) {
                    if (ema != null) {
                        ema.update(Schedules.emaTau(0.99, k, 5));
                    }
                    Map<String, NDArray> views = new HashMap<>();
                    for (String v : method.views()) {
                        views.put(v, step.randomNormal(new Shape(6, 3, 8, 8)));
                    }
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        LossOutput out = method.loss(model.networks(ps), views, new StepContext(k, 5, 0));
                        assertEquals(new Shape(), out.total().getShape(), name);
                        assertTrue(Float.isFinite(out.total().getFloat()), name);
                        terms = out.terms().keySet();
                        gc.backward(out.total());
                    }
                    for (Parameter p : model.trainableParameters()) {
                        try (NDArray g = p.getArray().getGradient()) {
                            if (k == 1) {
                                assertTrue(g.abs().sum().getFloat() > 0, name + ": no gradient for " + p.getName());
                            }
                            try (NDArray update = g.mul(0.01f)) {
                                p.getArray().subi(update);
                            }
                        }
                    }
                }
                live.add(root.getManagedArrays().size());
            }
            assertEquals(1, new java.util.HashSet<>(live.subList(1, live.size())).size(),
                    name + ": live arrays per step " + live);
            if (method.usesTarget()) {
                NDArray[] pair = model.emaPairs().get(0);
                assertTrue(pair[0].sub(pair[1]).abs().sum().getFloat() > 0, name + ": target follows by EMA only");
            }
            return terms;
        }
    }

    @Test
    void vicregTrainsEveryParameter() {
        assertEquals(Set.of("loss_inv", "loss_var", "loss_cov"), stepsWithEveryGradientAndFlatArrays("vicreg"));
    }

    @Test
    void barlowTwinsTrainsEveryParameter() {
        assertEquals(Set.of("loss_on_diag", "loss_off_diag"), stepsWithEveryGradientAndFlatArrays("barlow-twins"));
    }

    @Test
    void mocoV3TrainsEveryParameter() {
        assertEquals(Set.of(), stepsWithEveryGradientAndFlatArrays("mocov3"));
    }
}
