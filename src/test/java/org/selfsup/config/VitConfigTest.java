package org.selfsup.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.selfsup.job.RunParts;
import org.selfsup.model.ModelSpec;
import org.selfsup.util.UserException;

/** The ViT keys: arch, patch size, heads, pooling, frozen patch embedding, AdamW and clipping, and their checks. */
class VitConfigTest {
    private static TrainConfig vit(Map<String, ?> values) {
        TrainConfig c = new TrainConfig().merge(Map.of("arch", "vit", "width", 64, "blocks", List.of(3),
                "patch-size", 8, "image-size", 32));
        c.merge(values);
        return c;
    }

    private static String problem(TrainConfig c) {
        return assertThrows(UserException.class, c::validate).getMessage();
    }

    @Test
    void keysBuildTheSpec() {
        TrainConfig c = vit(Map.of("attention-heads", 4, "pooling", "mean", "frozen-patch-embed", true));
        c.validate();
        ModelSpec s = RunParts.modelSpec(c);
        assertEquals(List.of(64, 3, 4, 8, "mean", true), List.of(s.width(), s.depth(), s.heads(), s.patchSize(),
                s.pooling(), s.frozenPatchEmbed()));
        TrainConfig small = new TrainConfig().merge(Map.of("arch", "vit-small", "patch-size", 16, "image-size", 224));
        small.validate();
        ModelSpec ss = RunParts.modelSpec(small);
        assertEquals(List.of(384, 12, 6, "cls"), List.of(ss.width(), ss.depth(), ss.heads(), ss.pooling()));
        // width and blocks of the free archs do not leak into the named ones
        assertEquals(1, vit(Map.of()).backbone().vit().heads(), "width 64: 64 / 64 heads");
    }

    @Test
    void inconsistentViTSettingsAreRefusedNamingTheKeys() {
        assertTrue(problem(vit(Map.of("image-size", 30))).contains("not a multiple of patch-size 8"));
        assertTrue(problem(vit(Map.of("channels-last", true))).contains("channels-last does not apply to a ViT"));
        assertTrue(problem(vit(Map.of("blocks", List.of(1, 1, 1, 1)))).contains("depth as one number"));
        assertTrue(problem(vit(Map.of("attention-heads", 3))).contains("do not divide width 64"));
        assertTrue(problem(vit(Map.of("pooling", "max"))).contains("pooling"));
        assertTrue(problem(new TrainConfig().merge(Map.of("arch", "resnet18", "attention-heads", 2)))
                .contains("applies to ViT archs only"));
        // the named ViTs take other head counts too (MoCo v3's ViT-S: 12), as long as they divide the width
        TrainConfig moco = new TrainConfig().merge(Map.of("arch", "vit-small", "attention-heads", 12, "patch-size", 16,
                "image-size", 224));
        moco.validate();
        assertEquals(12, RunParts.modelSpec(moco).heads());
        assertTrue(problem(new TrainConfig().merge(Map.of("arch", "vit-small", "attention-heads", 5, "patch-size", 16,
                "image-size", 224))).contains("do not divide width 384"));
        assertTrue(problem(vit(Map.of("adam-beta2", 1.0))).contains("adam-beta2"));
        assertTrue(problem(vit(Map.of("clip-grad", -1.0))).contains("clip-grad"));
        assertTrue(problem(vit(Map.of("patch-size", 0))).contains("patch-size"));
        vit(Map.of("optimizer", "adamw", "clip-grad", 1.0)).validate();
    }
}
