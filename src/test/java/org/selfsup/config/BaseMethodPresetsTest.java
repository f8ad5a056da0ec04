package org.selfsup.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The CIFAR-10 presets of VICReg, Barlow Twins and MoCo v3 carry their papers' numbers (docs/methods.md §7). */
class BaseMethodPresetsTest {
    private static TrainConfig preset(String name) {
        return ConfigResolver.resolve(name, null, ConfigLayer.empty("flags"));
    }

    @Test
    void vicreg() {
        TrainConfig c = preset("vicreg-cifar10");
        assertEquals("vicreg", c.method);
        assertEquals("byol", c.effectivePlan());
        assertEquals("cifar10", c.dataset);
        assertEquals("lars", c.optimizer);
        assertEquals(2048, c.batchSize);
        assertEquals(1000, c.epochs);
        assertEquals(0.2 * 2048 / 256, c.effectiveLr(), 1e-12);
        assertEquals(1e-6, c.weightDecay);
        assertEquals(10, c.warmupEpochs);
        assertEquals(0.08, c.cropScaleMin);
        assertEquals(25.0, c.methodOptions().get("vicreg-invariance"));
        assertEquals(25.0, c.methodOptions().get("vicreg-variance"));
        assertEquals(1.0, c.methodOptions().get("vicreg-covariance"));
    }

    @Test
    void barlowTwins() {
        TrainConfig c = preset("barlow-twins-cifar10");
        assertEquals("barlow-twins", c.method);
        assertEquals("lars", c.optimizer);
        assertEquals(2048, c.batchSize);
        assertEquals(1000, c.epochs);
        assertEquals(1.5e-6, c.weightDecay);
        assertEquals(5e-3, c.methodOptions().get("barlow-lambda"));
    }

    @Test
    void mocoV3() {
        TrainConfig c = preset("mocov3-cifar10");
        assertEquals("mocov3", c.method);
        assertEquals("lars", c.optimizer);
        assertEquals(4096, c.batchSize);
        assertEquals(100, c.epochs);
        assertEquals(0.6 * 4096 / 256, c.effectiveLr(), 1e-12);
        assertEquals(1e-6, c.weightDecay);
        assertEquals(0.2, c.cropScaleMin);
        assertEquals(0.99, c.emaBase);
        assertEquals("cosine", c.emaSchedule);
        assertEquals("before-forward", c.emaTiming);
        assertEquals(1.0, c.methodOptions().get("moco-t"));
        for (String name : new String[] {"vicreg-cifar10", "barlow-twins-cifar10", "mocov3-cifar10"}) {
            String d = Presets.find(name).orElseThrow().description();
            assertTrue(d.contains("unchanged"), name + " says the ImageNet recipe is used as is: " + d);
        }
    }

    /** The released ViT-Small command (moco-v3 CONFIG.md, main_moco.py, vits.py, builder.py), docs/methods.md §7.3. */
    @Test
    void mocoV3VitSmallImagenet() {
        TrainConfig c = preset("mocov3-imagenet-vit-s16");
        c.validate();
        assertEquals("mocov3", c.method);
        assertEquals("byol", c.effectivePlan());
        assertEquals("imagefolder", c.dataset);
        assertEquals(224, c.imageSize);
        assertEquals(0.08, c.cropScaleMin);
        assertEquals(1.0, c.cropScaleMax);
        org.selfsup.model.ModelSpec s = org.selfsup.job.RunParts.modelSpec(c);
        assertEquals(java.util.List.of("vit-small", 384, 12, 12, 16, "cls"), java.util.List.of(s.arch(), s.width(),
                s.depth(), s.heads(), s.patchSize(), s.pooling()));
        assertEquals(java.util.List.of(true, "mocov3", "sincos"), java.util.List.of(s.frozenPatchEmbed(),
                s.vitInitName(), s.posEmbedName()));
        assertEquals(java.util.List.of(4096, 4096, 256), s.projector().layers().stream()
                .map(org.selfsup.model.HeadSpec.Layer::out).toList());
        assertEquals(java.util.List.of(4096, 256), s.predictor().layers().stream()
                .map(org.selfsup.model.HeadSpec.Layer::out).toList());
        assertEquals("adamw", c.optimizer);
        assertEquals(0.9, c.momentum);
        assertEquals(0.999, c.adamBeta2);
        assertEquals(0.1, c.weightDecay);
        assertEquals(0.0, c.clipGrad);
        assertEquals(4096, c.batchSize);
        assertEquals(300, c.epochs);
        assertEquals(1.5e-4 * 4096 / 256, c.effectiveLr(), 1e-15);
        assertEquals("warmup-cosine-step", c.lrSchedule);
        assertEquals(40, c.warmupEpochs);
        assertEquals(0.99, c.emaBase);
        assertEquals("cosine", c.emaSchedule);
        assertEquals("before-forward", c.emaTiming);
        assertEquals(0.2, c.methodOptions().get("moco-t"));
        assertEquals("fp16", c.precision);
    }
}
