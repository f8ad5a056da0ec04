package org.selfsup.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.selfsup.method.MethodRegistry;
import org.selfsup.model.Backbone;
import org.selfsup.model.ModelSpec;
import org.selfsup.model.PositionEmbeddings;
import org.selfsup.model.SslModel;
import org.selfsup.util.UserException;

/**
 * ViT state dicts in the layouts of the SSL papers' checkpoints: MoCo v3 (two encoders and a predictor under
 * {@code module.}; projection MLP as {@code head.*}), MAE (under {@code model.}, with the decoder and
 * {@code mask_token}), and position embeddings made for another grid.
 */
class VitWeightImportTest {
    static final ModelSpec SPEC = MethodRegistry.modelSpec("byol", Backbone.of("vit", 32, List.of(2),
            new Backbone.Vit(4, 2, "cls", false)), null).withoutPredictor();

    @BeforeAll
    static void threads() {
        org.selfsup.model.TorchThreads.single();
    }

    /** The timm-named state dict of a fresh tiny ViT built for {@code size} px. */
    static Map<String, Tensor> stateDict(int size, long seed) {
        try (NDManager m = NDManager.newBaseManager();
             SslModel model = SslModel.create(SPEC, false, false, m, size, seed)) {
            return WeightExport.stateDict(model, false, 0);
        }
    }

    static WeightFiles.Loaded loaded(Map<String, Tensor> tensors) {
        return new WeightFiles.Loaded(Path.of("test.pth"), tensors, Map.of());
    }

    @Test
    void moCoV3LayoutNeedsItsPrefixAndItsProjectionHeadIsIgnored() {
        Map<String, Tensor> base = stateDict(8, 1);
        Map<String, Tensor> file = new LinkedHashMap<>();
        base.forEach((k, v) -> file.put("state_dict.module.base_encoder." + k, v));
        base.forEach((k, v) -> file.put("state_dict.module.momentum_encoder." + k, v));
        Tensor mlp = Tensor.f32(new long[] {8, 32}, new float[8 * 32]);
        file.put("state_dict.module.base_encoder.head.0.weight", mlp);
        file.put("state_dict.module.predictor.0.weight", mlp);
        UserException e = assertThrows(UserException.class, () -> WeightFiles.select(loaded(file), null));
        assertTrue(e.getMessage().contains("several ResNet or ViT state dicts") && e.getMessage().contains("base_encoder"),
                e.getMessage());
        WeightFiles.Selected s = WeightFiles.select(loaded(file), "module.base_encoder.");
        assertEquals("state_dict.module.base_encoder.", s.prefix());
        try (NDManager m = NDManager.newBaseManager(); SslModel model = SslModel.backboneOnly(SPEC, m, 8)) {
            WeightImport.Report r = WeightImport.apply(s.tensors(), model, true, "mocov3");
            assertEquals(base.size(), r.loaded());
            assertEquals(1, r.ignored()); // head.0.weight
            assertArrayEquals(base.get("blocks.1.mlp.fc2.weight").floats(),
                    model.namedParameters().get("backbone/blocks.1.mlp.fc2.weight").getArray().toFloatArray(), 0f);
        }
    }

    @Test
    void maeLayoutIsFoundAndItsDecoderIgnored() {
        Map<String, Tensor> file = new LinkedHashMap<>();
        stateDict(8, 2).forEach((k, v) -> file.put("model." + k, v));
        file.put("model.mask_token", Tensor.f32(new long[] {1, 1, 16}, new float[16]));
        file.put("model.decoder_embed.weight", Tensor.f32(new long[] {16, 32}, new float[16 * 32]));
        file.put("model.decoder_blocks.0.norm1.weight", Tensor.f32(new long[] {16}, new float[16]));
        WeightFiles.Selected s = WeightFiles.select(loaded(file), null);
        assertEquals("model.", s.prefix());
        try (NDManager m = NDManager.newBaseManager(); SslModel model = SslModel.backboneOnly(SPEC, m, 8)) {
            WeightImport.Report r = WeightImport.apply(s.tensors(), model, true, "mae");
            assertEquals(3, r.ignored());
            assertTrue(r.warnings().isEmpty(), r.warnings().toString());
        }
        // anything else unknown is refused when strict, naming a ViT state dict
        file.put("model.fc_norm.weight", Tensor.f32(new long[] {32}, new float[32]));
        try (NDManager m = NDManager.newBaseManager(); SslModel model = SslModel.backboneOnly(SPEC, m, 8)) {
            UserException e = assertThrows(UserException.class, () -> WeightImport.apply(
                    WeightFiles.select(loaded(file), null).tensors(), model, true, "mae"));
            assertTrue(e.getMessage().contains("fc_norm.weight") && e.getMessage().contains("timm-named ViT"),
                    e.getMessage());
        }
    }

    @Test
    void positionsMadeForAnotherGridAreResizedAsTimmLoadsThem() {
        Map<String, Tensor> at16 = stateDict(16, 3); // 4x4 grid
        try (NDManager m = NDManager.newBaseManager(); SslModel model = SslModel.backboneOnly(SPEC, m, 8)) {
            WeightImport.Report r = WeightImport.apply(at16, model, true, "16px");
            assertTrue(r.warnings().stream().anyMatch(w -> w.contains("pos_embed resized from a 4x4 to a 2x2")),
                    r.warnings().toString());
            float[] want = PositionEmbeddings.resample(at16.get("pos_embed").floats(), 1, 4, 2, 32, true);
            assertArrayEquals(want, model.namedParameters().get("backbone/pos_embed").getArray().toFloatArray(), 0f);
        }
        // a width that does not fit is still an error
        Map<String, Tensor> bad = new LinkedHashMap<>(stateDict(8, 4));
        bad.put("pos_embed", Tensor.f32(new long[] {1, 5, 16}, new float[80]));
        try (NDManager m = NDManager.newBaseManager(); SslModel model = SslModel.backboneOnly(SPEC, m, 8)) {
            UserException e = assertThrows(UserException.class, () -> WeightImport.apply(bad, model, true, "bad"));
            assertTrue(e.getMessage().contains("pos_embed"), e.getMessage());
        }
    }
}
