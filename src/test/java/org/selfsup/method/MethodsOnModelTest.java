package org.selfsup.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.selfsup.model.ModelSpec;
import org.selfsup.model.SslModel;

/**
 * Every method (each base with each heavy-augmentation strategy included) end to end on a tiny real model:
 * shapes fit, every trainable parameter gets a gradient, no arrays leak per step.
 */
class MethodsOnModelTest {
    @org.junit.jupiter.api.BeforeAll
    static void singleThreaded() {
        org.selfsup.model.TorchThreads.single();
    }


    @Test
    void everyMethodStepsOnATinyModelWithoutLeaking() {
        for (MethodDefinition definition : MethodRegistry.combinations()) {
            String name = definition.name();
            SslMethod method = definition.create(MethodOptions.defaults());
            ModelSpec spec = definition.modelSpec(org.selfsup.model.Backbone.of("small", 4, List.of(1, 1, 1, 1)), null);
            try (NDManager root = NDManager.newBaseManager();
                 SslModel model = SslModel.create(spec, method.usesTarget(), spec.predictor() != null, root, 8, 11)) {
                ParameterStore ps = new ParameterStore(root, false);
                java.util.Set<String> moved = new java.util.HashSet<>(); // parameters with a gradient at some step
                int before = -1;
                for (int k = 1; k <= 3; k++) {
                    try (NDManager step = root.newSubManager()) {
                        Map<String, NDArray> views = new HashMap<>();
                        for (String v : method.views()) {
                            views.put(v, step.randomNormal(new Shape(4, 3, 8, 8)));
                        }
                        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                            LossOutput out = method.loss(model.networks(ps), views, new StepContext(k, 10, 0));
                            assertEquals(new Shape(), out.total().getShape(), name);
                            assertTrue(Float.isFinite(out.total().getFloat()), name);
                            gc.backward(out.total());
                        }
                        for (Parameter p : model.trainableParameters()) {
                            try (NDArray g = p.getArray().getGradient(); NDArray update = g.mul(0.01f)) {
                                try (NDArray abs = g.abs(); NDArray size = abs.sum()) {
                                    if (size.getFloat() > 0) {
                                        moved.add(p.getId());
                                    }
                                }
                                p.getArray().subi(update);
                            }
                        }
                    }
                    int live = root.getManagedArrays().size();
                    if (k == 2) {
                        before = live; // after the first step's one-off constants
                    } else if (k == 3) {
                        assertEquals(before, live, name + ": arrays leak per step");
                    }
                }
                // (zero-init-residual blocks give their inner weights a gradient from the second step on)
                for (Parameter p : model.trainableParameters()) {
                    assertTrue(moved.contains(p.getId()), name + ": no gradient for " + p.getName());
                }
                if (method.usesTarget()) {
                    // The optimiser moved the online weights; the target only moves through the EMA.
                    NDArray[] pair = model.emaPairs().get(0);
                    assertTrue(pair[0].sub(pair[1]).abs().sum().getFloat() > 0, name);
                }
            }
        }
    }

    /** Fixed, seeded views: a shared image plus per-view noise, so every view pair has something in common. */
    static Map<String, NDArray> fixedViews(NDManager m, List<String> names, long seed) {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
        float[] base = new float[8 * 3 * 8 * 8];
        for (int i = 0; i < base.length; i++) {
            base[i] = (float) rng.nextGaussian();
        }
        Map<String, NDArray> views = new HashMap<>();
        for (String name : names) {
            float[] v = base.clone();
            for (int i = 0; i < v.length; i++) {
                v[i] += (float) (0.3 * rng.nextGaussian());
            }
            views.put(name, m.create(v, new Shape(8, 3, 8, 8)));
        }
        return views;
    }

    @Test
    void everyMethodReducesItsLossOnFixedViews() {
        for (String name : MethodRegistry.NAMES) {
            SslMethod method = MethodRegistry.create(name, MethodOptions.defaults());
            ModelSpec spec = MethodRegistry.modelSpec(name, "small", 4, List.of(1, 1, 1, 1), null);
            try (NDManager root = NDManager.newBaseManager();
                 SslModel model = SslModel.create(spec, method.usesTarget(), spec.predictor() != null, root, 8, 5)) {
                ParameterStore ps = new ParameterStore(root, false);
                Map<String, NDArray> views = fixedViews(root, method.views(), 9);
                float first = Float.NaN;
                float last = Float.NaN;
                for (int k = 1; k <= 25; k++) {
                    try (NDManager step = root.newSubManager()) {
                        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                            LossOutput out = method.loss(model.networks(ps), views, new StepContext(k, 25, 0));
                            gc.backward(out.total());
                            last = out.total().getFloat();
                        }
                        for (Parameter p : model.trainableParameters()) {
                            try (NDArray g = p.getArray().getGradient(); NDArray update = g.mul(0.05f)) {
                                p.getArray().subi(update);
                            }
                        }
                    }
                    if (k == 1) {
                        first = last;
                    }
                }
                assertTrue(last < first, name + ": loss " + first + " -> " + last);
            }
        }
    }
}
