package org.selfsup.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.selfsup.method.MethodRegistry;
import org.selfsup.util.UserException;

/** The ViT backbone on its own: names, sizes, shapes, gradients, position-grid handling. */
class VisionTransformerTest {
    @BeforeAll
    static void singleThreaded() {
        TorchThreads.single();
    }

    /** Depth 2, width 32, 2 heads, 4 px patches. */
    static ModelSpec tiny(String method, String pooling, boolean frozenPatch) {
        return MethodRegistry.modelSpec(method, Backbone.of("vit", 32, List.of(2),
                new Backbone.Vit(4, 2, pooling, frozenPatch)), null);
    }

    @Test
    void parametersHaveTimmNamesAndTheCountsModelSizePredicts() {
        ModelSpec spec = tiny("byol", "cls", false);
        try (NDManager m = NDManager.newBaseManager(); SslModel model = SslModel.backboneOnly(spec, m, 8)) {
            List<String> names = new ArrayList<>();
            long count = 0;
            for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
                names.add(e.getKey().substring("backbone/".length()));
                count += e.getValue().getArray().size();
            }
            assertEquals(VisionTransformer.parameterNames(spec), names);
            assertEquals(List.of("cls_token", "pos_embed", "patch_embed.proj.weight", "patch_embed.proj.bias",
                    "blocks.0.norm1.weight"), names.subList(0, 5));
            assertEquals("norm.bias", names.get(names.size() - 1));
            assertEquals(4 + 2 * 12 + 2, names.size());
            assertEquals(count, ModelSize.backboneParameters(spec, 8));
            assertTrue(ModelSize.backboneParameters(spec) < count, "the size-free count is a lower bound");
            Map<String, Parameter> p = model.namedParameters();
            assertEquals(new Shape(1, 5, 32), p.get("backbone/pos_embed").getArray().getShape()); // 2x2 grid + cls
            assertEquals(new Shape(96, 32), p.get("backbone/blocks.1.attn.qkv.weight").getArray().getShape());
            assertEquals(new Shape(128, 32), p.get("backbone/blocks.1.mlp.fc1.weight").getArray().getShape());
            assertEquals(new Shape(32, 3, 4, 4), p.get("backbone/patch_embed.proj.weight").getArray().getShape());
            // timm's init: LayerNorm 1/0, linear biases 0, class token ~1e-6, weights std 0.02
            assertTrue(allEqual(p.get("backbone/blocks.0.norm1.weight"), 1f));
            assertTrue(allEqual(p.get("backbone/blocks.0.attn.qkv.bias"), 0f));
            assertTrue(maxAbs(p.get("backbone/cls_token")) < 1e-5);
            double std = std(p.get("backbone/blocks.0.mlp.fc1.weight"));
            assertEquals(0.02, std, 0.003);
        }
        // timm's counts at 224 px less the 1000-class head: ViT-S/16 22,050,664 - 385,000, ViT-B/16 86,567,656 -
        // 769,000, ViT-T/16 5,717,416 - 193,000
        ModelSpec s16 = MethodRegistry.modelSpec("byol", Backbone.of("vit-small", 0, List.of()), null);
        assertEquals(21_665_664L, ModelSize.backboneParameters(s16, 224));
        ModelSpec b16 = MethodRegistry.modelSpec("byol", Backbone.of("vit-base", 0, List.of()), null);
        assertEquals(85_798_656L, ModelSize.backboneParameters(b16, 224));
        ModelSpec t16 = MethodRegistry.modelSpec("byol", Backbone.of("vit-tiny", 0, List.of()), null);
        assertEquals(5_524_416L, ModelSize.backboneParameters(t16, 224));
        assertEquals(3, t16.heads());
        assertEquals(192, t16.featureDim());
        assertTrue(ModelSize.activationsPerImage(s16, 224) > ModelSize.activationsPerImage(t16, 224));
    }

    private static boolean allEqual(Parameter p, float v) {
        for (float f : p.getArray().toFloatArray()) {
            if (f != v) {
                return false;
            }
        }
        return true;
    }

    private static double maxAbs(Parameter p) {
        double m = 0;
        for (float f : p.getArray().toFloatArray()) {
            m = Math.max(m, Math.abs(f));
        }
        return m;
    }

    private static double std(Parameter p) {
        float[] v = p.getArray().toFloatArray();
        double s = 0;
        for (float f : v) {
            s += f * f;
        }
        return Math.sqrt(s / v.length);
    }

    @Test
    void poolsClassTokenOrMeanAndResizesPositionsForOtherSizes() {
        for (String pooling : List.of("cls", "mean")) {
            ModelSpec spec = tiny("byol", pooling, false);
            try (NDManager m = NDManager.newBaseManager(); SslModel model = SslModel.backboneOnly(spec, m, 8)) {
                ParameterStore ps = new ParameterStore(m, false);
                NDArray x8 = m.randomNormal(new Shape(3, 3, 8, 8));
                NDArray f8 = model.features(ps, x8, false);
                assertEquals(new Shape(3, 32), f8.getShape());
                // batch independence (no batch statistics anywhere in a ViT)
                NDArray one = model.features(ps, x8.get("0:1"), false);
                assertArrayEquals(f8.get("0:1").toFloatArray(), one.toFloatArray(), 1e-5f);
                // 16 px: a 4x4 grid, position embeddings resized from 2x2
                NDArray f16 = model.features(ps, m.randomNormal(new Shape(2, 3, 16, 16)), false);
                assertEquals(new Shape(2, 32), f16.getShape());
                assertTrue(Float.isFinite(f16.sum().getFloat()));
            }
        }
        ModelSpec spec = tiny("byol", "cls", false);
        try (NDManager m = NDManager.newBaseManager()) {
            UserException e = assertThrows(UserException.class, () -> SslModel.backboneOnly(spec, m, 10));
            assertTrue(e.getMessage().contains("not a multiple of patch-size 4"), e.getMessage());
        }
    }

    @Test
    void gradientsReachEveryParameterAndAFrozenPatchEmbeddingStaysOut() {
        for (boolean frozen : new boolean[] {false, true}) {
            ModelSpec spec = tiny("byol", "mean", frozen);
            try (NDManager m = NDManager.newBaseManager(); SslModel model = SslModel.create(spec, true, true, m, 8, 3)) {
                ParameterStore ps = new ParameterStore(m, false);
                List<Parameter> trainable = model.trainableParameters();
                for (var e : model.namedParameters().entrySet()) {
                    boolean patch = e.getKey().startsWith("backbone/patch_embed");
                    if (e.getKey().startsWith("backbone/")) {
                        assertEquals(!(frozen && patch), trainable.contains(e.getValue()), e.getKey());
                    }
                }
                try (NDManager step = m.newSubManager()) {
                    NDArray x = step.randomNormal(new Shape(4, 3, 8, 8));
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray z = model.networks(ps).predict(model.networks(ps).project(x));
                        gc.backward(z.square().sum());
                    }
                    for (var e : model.namedParameters().entrySet()) {
                        Parameter p = e.getValue();
                        if (!trainable.contains(p)) {
                            continue;
                        }
                        float g = p.getArray().getGradient().abs().sum().getFloat();
                        assertTrue(g > 0, e.getKey() + " has no gradient");
                    }
                    // at another size the resized position embeddings still pass gradients back
                    Parameter pos = model.namedParameters().get("backbone/pos_embed");
                    pos.getArray().getGradient().muli(0);
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        gc.backward(model.networks(ps).features(step.randomNormal(new Shape(2, 3, 16, 16))).sum());
                    }
                    assertTrue(pos.getArray().getGradient().abs().sum().getFloat() > 0);
                }
            }
        }
    }

    @Test
    void savedParametersRebuildOnTheirGridAndSpecJsonKeepsResNetsAsBefore() throws Exception {
        ModelSpec spec = tiny("simsiam", "cls", false);
        byte[] saved;
        float[] before;
        try (NDManager m = NDManager.newBaseManager(); SslModel model = SslModel.create(spec, false, true, m, 8, 5)) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            model.saveBackbone(new DataOutputStream(bytes));
            saved = bytes.toByteArray();
            before = model.features(new ParameterStore(m, false), m.ones(new Shape(1, 3, 8, 8)), false).toFloatArray();
        }
        try (NDManager m = NDManager.newBaseManager();
             SslModel loaded = SslModel.loadBackbone(spec, new DataInputStream(new ByteArrayInputStream(saved)), m, 32)) {
            assertEquals(2, loaded.positionGrid(), "built on the saved 2x2 grid, not 32 px's 8x8");
            float[] after = loaded.features(new ParameterStore(m, false), m.ones(new Shape(1, 3, 8, 8)), false)
                    .toFloatArray();
            assertArrayEquals(before, after, 0f);
        }
        ObjectMapper json = new ObjectMapper();
        String vitJson = json.writeValueAsString(spec);
        assertTrue(vitJson.contains("\"patchSize\":4") && vitJson.contains("\"heads\":2")
                && vitJson.contains("\"pooling\":\"cls\""), vitJson);
        assertEquals(spec, json.readValue(vitJson, ModelSpec.class));
        String resnet = json.writeValueAsString(MethodRegistry.modelSpec("rsa", "resnet18-cifar"));
        assertFalse(resnet.contains("patchSize") || resnet.contains("heads") || resnet.contains("pooling")
                || resnet.contains("frozenPatchEmbed"), resnet);
        assertNotEquals(spec, tiny("simsiam", "mean", false));
    }
}
