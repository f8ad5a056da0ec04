package org.selfsup.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.selfsup.method.MethodRegistry;
import org.selfsup.optim.Optimizer;
import org.selfsup.optim.Optimizers;
import org.selfsup.util.UserException;

/**
 * MoCo v3's ViT as its released {@code vits.py} builds it ({@code VisionTransformerMoCo}): the fixed 2-D sin-cos
 * position embedding against the released formula, the xavier initialisation (qkv as three D x D matrices, the
 * patch projection over its flattened fan), and the frozen patch projection and position embedding through a
 * training step.
 */
class MocoV3VitTest {
    @BeforeAll
    static void singleThreaded() {
        TorchThreads.single();
    }

    /** Depth 2, width 32, 2 heads, 4 px patches; MoCo v3's init, sin-cos positions, frozen patch projection. */
    static ModelSpec mocoTiny(boolean frozenPatch, String init, String pos) {
        return MethodRegistry.modelSpec("mocov3", Backbone.of("vit", 32, List.of(2),
                new Backbone.Vit(4, 2, "cls", frozenPatch, init, pos)), null);
    }

    /**
     * {@code build_2d_sincos_position_embedding} of vits.py, written out in double precision: grid_w, grid_h =
     * meshgrid(arange(w), arange(h)) ('ij'), omega = 1 / 10000^(arange(D/4) / (D/4)), rows [sin(w o), cos(w o),
     * sin(h o), cos(h o)] after a zero class-token row.
     */
    static double[][] released(int grid, int dim) {
        int q = dim / 4;
        double[][] out = new double[1 + grid * grid][dim];
        for (int i = 0; i < grid; i++) { // meshgrid 'ij': the first index runs over grid_w
            for (int j = 0; j < grid; j++) {
                int m = i * grid + j; // flatten()
                for (int d = 0; d < q; d++) {
                    double omega = 1 / Math.pow(10000.0, (double) d / q);
                    out[1 + m][d] = Math.sin(i * omega);
                    out[1 + m][q + d] = Math.cos(i * omega);
                    out[1 + m][2 * q + d] = Math.sin(j * omega);
                    out[1 + m][3 * q + d] = Math.cos(j * omega);
                }
            }
        }
        return out;
    }

    @Test
    void sincosTableIsTheReleasedFormula() {
        for (int[] gd : new int[][] {{2, 32}, {14, 384}, {3, 8}}) {
            int grid = gd[0];
            int dim = gd[1];
            float[] ours = PositionEmbeddings.sincos2d(grid, dim);
            double[][] ref = released(grid, dim);
            assertEquals(ref.length * dim, ours.length);
            for (int r = 0; r < ref.length; r++) {
                for (int c = 0; c < dim; c++) {
                    // float32 arithmetic as torch's: arguments up to 13 radians, so a few ulp of 13
                    assertEquals(ref[r][c], ours[r * dim + c], 5e-6, "row " + r + " col " + c + " grid " + grid);
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> PositionEmbeddings.sincos2d(2, 30));
    }

    @Test
    void mocov3InitHasVitsPyBoundsAndSincosPositionsAreFrozen() {
        ModelSpec spec = mocoTiny(true, "mocov3", "sincos");
        int d = 32;
        try (NDManager m = NDManager.newBaseManager(); SslModel model = SslModel.create(spec, true, true, m, 8, 3)) {
            Map<String, Parameter> p = model.namedParameters();
            float[] pos = p.get("backbone/pos_embed").getArray().toFloatArray();
            assertArrayEquals(PositionEmbeddings.sincos2d(2, d), pos, 0f);
            // the target starts as the same table
            assertArrayEquals(pos, p.get("target.backbone/pos_embed").getArray().toFloatArray(), 0f);
            // qkv: val = sqrt(6 / (3D / 3 + D)); proj: xavier D x D; fc1, fc2: D and 4D
            checkUniform(p.get("backbone/blocks.0.attn.qkv.weight"), Math.sqrt(6.0 / (d + d)));
            checkUniform(p.get("backbone/blocks.1.attn.proj.weight"), Math.sqrt(6.0 / (d + d)));
            checkUniform(p.get("backbone/blocks.0.mlp.fc1.weight"), Math.sqrt(6.0 / (d + 4 * d)));
            checkUniform(p.get("backbone/blocks.1.mlp.fc2.weight"), Math.sqrt(6.0 / (4 * d + d)));
            // patch_embed: val = sqrt(6 / (3 * p * p + D)), the conv seen as a Linear(3 p^2, D)
            checkUniform(p.get("backbone/patch_embed.proj.weight"), Math.sqrt(6.0 / (3 * 4 * 4 + d)));
            for (String zero : List.of("patch_embed.proj.bias", "blocks.0.attn.qkv.bias", "blocks.1.mlp.fc2.bias",
                    "blocks.0.norm1.bias")) {
                assertEquals(0f, maxAbs(p.get("backbone/" + zero)), zero);
            }
            assertTrue(maxAbs(p.get("backbone/cls_token")) < 1e-5, "normal(std=1e-6)");
            assertTrue(maxAbs(p.get("backbone/cls_token")) > 0);
            // frozen: the patch projection (stop_grad_conv1) and the sin-cos table (requires_grad = False)
            List<Parameter> trainable = model.trainableParameters();
            for (String frozen : List.of("pos_embed", "patch_embed.proj.weight", "patch_embed.proj.bias")) {
                assertFalse(trainable.contains(p.get("backbone/" + frozen)), frozen);
                assertFalse(p.get("backbone/" + frozen).requiresGradient(), frozen);
            }
            assertTrue(trainable.contains(p.get("backbone/cls_token")));
            // heads keep PyTorch's default Linear init: U(+-1/sqrt(fan_in))
            checkUniform(firstWeight(p, "projector/"), 1 / Math.sqrt(d));
        }
    }

    /** The projector's first Linear weight, whatever DJL names it. */
    private static Parameter firstWeight(Map<String, Parameter> p, String prefix) {
        return p.entrySet().stream().filter(e -> e.getKey().startsWith(prefix) && e.getKey().endsWith("weight")
                && e.getValue().getArray().getShape().dimension() == 2).findFirst().orElseThrow().getValue();
    }

    @Test
    void frozenPatchProjectionAndPositionsGetNoGradientAndStayUnchangedThroughAnAdamWStep() {
        ModelSpec spec = mocoTiny(true, "mocov3", "sincos");
        try (NDManager m = NDManager.newBaseManager(); SslModel model = SslModel.create(spec, true, true, m, 8, 5)) {
            Map<String, Parameter> p = model.namedParameters();
            List<String> frozen = List.of("backbone/pos_embed", "backbone/patch_embed.proj.weight",
                    "backbone/patch_embed.proj.bias");
            Map<String, float[]> before = new java.util.HashMap<>();
            for (String k : frozen) {
                before.put(k, p.get(k).getArray().toFloatArray());
            }
            float[] qkvBefore = p.get("backbone/blocks.0.attn.qkv.weight").getArray().toFloatArray();
            ParameterStore ps = new ParameterStore(m, false);
            try (Optimizer opt = Optimizers.create("adamw", model.trainableParameters(), m, 0.9, false, 0.1, 0.999, 0);
                 NDManager step = m.newSubManager()) {
                NDArray x = step.randomNormal(new Shape(4, 3, 8, 8));
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray z = model.networks(ps).predict(model.networks(ps).project(x));
                    gc.backward(z.square().sum());
                }
                for (String k : frozen) {
                    assertFalse(p.get(k).getArray().hasGradient(), k + " has a gradient");
                }
                opt.step(1e-2);
            }
            for (String k : frozen) {
                assertArrayEquals(before.get(k), p.get(k).getArray().toFloatArray(), 0f, k);
            }
            assertFalse(java.util.Arrays.equals(qkvBefore, p.get("backbone/blocks.0.attn.qkv.weight").getArray()
                    .toFloatArray()), "the trained weights moved");
            // at another size the frozen table is resized and the input still gets its features
            NDArray f = model.features(ps, m.randomNormal(new Shape(2, 3, 16, 16)), false);
            assertTrue(Float.isFinite(f.sum().getFloat()));
        }
    }

    @Test
    void optionsAreSeparateAndTheDefaultsKeepTheSpecJsonAndInitOfBefore() throws Exception {
        ModelSpec plain = mocoTiny(false, null, null);
        ModelSpec explicit = mocoTiny(false, "timm", "learned");
        assertEquals(plain, explicit, "defaults are stored as null");
        assertNull(explicit.vitInit());
        assertEquals("timm", explicit.vitInitName());
        assertEquals("learned", explicit.posEmbedName());
        String json = new ObjectMapper().writeValueAsString(explicit);
        assertFalse(json.contains("vitInit") || json.contains("posEmbed"), json);
        ModelSpec moco = mocoTiny(true, "mocov3", "sincos");
        String mocoJson = new ObjectMapper().writeValueAsString(moco);
        assertTrue(mocoJson.contains("\"vitInit\":\"mocov3\"") && mocoJson.contains("\"posEmbed\":\"sincos\""),
                mocoJson);
        assertEquals(moco, new ObjectMapper().readValue(mocoJson, ModelSpec.class));
        // MoCo v3's init with learned positions: the table is timm's trunc-normal and trained
        try (NDManager m = NDManager.newBaseManager();
             SslModel a = SslModel.backboneOnly(mocoTiny(false, "mocov3", "learned"), m, 8);
             SslModel b = SslModel.create(mocoTiny(false, "mocov3", "learned"), false, false, m, 8, 0)) {
            Parameter pos = b.namedParameters().get("backbone/pos_embed");
            assertTrue(b.trainableParameters().contains(pos));
            assertNotEquals(0f, maxAbs(pos));
            assertTrue(a.trainableParameters().contains(a.namedParameters().get("backbone/patch_embed.proj.weight")));
        }
        assertThrows(UserException.class, () -> MethodRegistry.modelSpec("mocov3", Backbone.of("vit", 30, List.of(2),
                new Backbone.Vit(4, 2, "cls", false, "mocov3", "sincos")), null));
        assertThrows(UserException.class, () -> mocoTiny(false, "xavier", null));
    }

    /** Every value within +-bound, and a spread of a uniform's (std = bound / sqrt(3)). */
    private static void checkUniform(Parameter p, double bound) {
        float[] v = p.getArray().toFloatArray();
        double s = 0;
        for (float f : v) {
            assertTrue(Math.abs(f) <= bound, p.getName() + ": " + f + " outside +-" + bound);
            s += (double) f * f;
        }
        double std = Math.sqrt(s / v.length);
        assertEquals(bound / Math.sqrt(3), std, 0.1 * bound, p.getName());
    }

    private static float maxAbs(Parameter p) {
        float m = 0;
        for (float f : p.getArray().toFloatArray()) {
            m = Math.max(m, Math.abs(f));
        }
        return m;
    }
}
