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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.selfsup.model.Backbone;
import org.selfsup.model.ModelSpec;
import org.selfsup.model.SslModel;

/**
 * Every method on a tiny ViT (depth 2, width 32, 2 heads, 4 px patches, 8x8 views): heads sized from the ViT's
 * width, a gradient on every trainable parameter (class token, position and patch embeddings, every block,
 * the heads), and no arrays left behind per step.
 */
class MethodsOnVitTest {
    @BeforeAll
    static void singleThreaded() {
        org.selfsup.model.TorchThreads.single();
    }

    static ModelSpec spec(String method) {
        return MethodRegistry.modelSpec(method, Backbone.of("vit", 32, List.of(2), new Backbone.Vit(4, 2, "cls",
                false)), null);
    }

    @Test
    void everyMethodStepsOnATinyVitWithGradientsEverywhereAndWithoutLeaking() {
        for (String name : MethodRegistry.NAMES) {
            SslMethod method = MethodRegistry.create(name, MethodOptions.defaults());
            ModelSpec spec = spec(name);
            assertEquals(32, spec.featureDim(), name);
            try (NDManager root = NDManager.newBaseManager();
                 SslModel model = SslModel.create(spec, method.usesTarget(), spec.predictor() != null, root, 8, 11)) {
                ParameterStore ps = new ParameterStore(root, false);
                int before = -1;
                for (int k = 1; k <= 3; k++) {
                    try (NDManager step = root.newSubManager()) {
                        Map<String, NDArray> views = new HashMap<>();
                        for (String v : method.views()) {
                            views.put(v, step.randomNormal(new Shape(4, 3, 8, 8)));
                        }
                        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                            LossOutput out = method.loss(model.networks(ps), views, new StepContext(k, 10, 0));
                            assertTrue(Float.isFinite(out.total().getFloat()), name + " step " + k + " loss " + out.total().getFloat());
                            gc.backward(out.total());
                        }
                        if (k == 1) {
                            for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
                                if (model.trainableParameters().contains(e.getValue())) {
                                    float g = e.getValue().getArray().getGradient().abs().sum().getFloat();
                                    assertTrue(g > 0, name + ": no gradient on " + e.getKey());
                                }
                            }
                        }
                        for (Parameter p : model.trainableParameters()) {
                            try (NDArray g = p.getArray().getGradient(); NDArray update = g.mul(0.01f)) {
                                p.getArray().subi(update);
                            }
                            try (NDArray g = p.getArray().getGradient()) {
                                g.muli(0);
                            }
                        }
                    }
                    int live = root.getManagedArrays().size();
                    if (k == 2) {
                        before = live;
                    } else if (k == 3) {
                        assertEquals(before, live, name + ": arrays leak per step");
                    }
                }
            }
        }
    }
}
