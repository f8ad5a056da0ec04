package org.selfsup.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PresetsTest {
    private static TrainConfig preset(String name) {
        return ConfigResolver.resolve(name, null, ConfigLayer.empty("flags"));
    }

    /** Issue 22 item 19: a preset's plan goes with its method; an explicit plan still wins or is refused. */
    @Test
    void aMethodWithoutAPlanGetsItsOwnPlan() throws Exception {
        TrainConfig byol = ConfigResolver.resolve(null, null, ConfigLayer.fromFlags(java.util.Map.of("method", "byol")));
        assertEquals("byol", byol.effectivePlan());
        TrainConfig dssl = ConfigResolver.resolve(null, null,
                ConfigLayer.fromFlags(java.util.Map.of("method", "dssl-simsiam")));
        assertEquals(org.selfsup.method.MethodRegistry.find("dssl-simsiam").orElseThrow().defaultPlan(),
                dssl.effectivePlan());
        assertEquals("rsa", preset("demo").effectivePlan());
        assertEquals("rsa", ConfigResolver.resolve(null, null,
                ConfigLayer.fromFlags(java.util.Map.of("method", "rsa"))).effectivePlan(), "the preset's own method");
        TrainConfig explicit = ConfigResolver.resolve(null, null,
                ConfigLayer.fromFlags(java.util.Map.of("method", "simsiam", "plan", "byol")));
        assertEquals("byol", explicit.effectivePlan());
        org.selfsup.util.UserException e = org.junit.jupiter.api.Assertions.assertThrows(
                org.selfsup.util.UserException.class, () -> ConfigResolver.resolve(null, null,
                        ConfigLayer.fromFlags(java.util.Map.of("method", "dssl-simsiam", "plan", "rsa"))));
        assertTrue(e.getMessage().contains("plan 'rsa'"), e.getMessage());
        java.nio.file.Path file = java.nio.file.Files.createTempFile("method", ".yaml");
        try {
            java.nio.file.Files.writeString(file, "method: byol\n");
            assertEquals("byol", ConfigResolver.resolve(null, file, ConfigLayer.empty("flags")).effectivePlan());
        } finally {
            java.nio.file.Files.delete(file);
        }
    }

    @Test
    void everyPresetIsValidAndNamedAfterItself() {
        assertEquals(List.of("rsa-cifar10", "rsa-cifar100", "rsa-stl10", "rsa-tinyimagenet", "rsa-imagenet100",
                "rsa-imagenet1k",
                "dssl-simsiam-cifar10", "dssl-simsiam-imagenet", "dssl-byol-imagenet", "byol-dssl-imagenet",
                "byol-heavy-imagenet", "byol-cifar10",
                "simsiam-cifar10", "simsiam-heavy-cifar10", "simsiam-imagenet", "simsiam-heavy-imagenet",
                "vicreg-cifar10", "barlow-twins-cifar10", "mocov3-cifar10", "demo", "rsa-cifar10-vit-t4",
                "byol-cifar10-vit-t4", "mocov3-imagenet-vit-s16"),
                Presets.names());
        for (Preset p : Presets.all()) {
            TrainConfig c = preset(p.name());
            assertEquals(p.name(), c.preset);
            assertEquals(p.name(), c.name);
            assertFalse(p.description().isBlank());
            assertTrue(p.source().contains("methods.md") || p.source().contains("platform.md"), p.source());
        }
    }

    @Test
    void rsaCifarPresets() {
        TrainConfig c10 = preset("rsa-cifar10");
        assertEquals("rsa", c10.method);
        assertEquals("rsa", c10.effectivePlan());
        assertEquals("resnet18-cifar", c10.arch);
        assertEquals(256, c10.batchSize);
        assertEquals(0.1, c10.effectiveLr(), 1e-12);
        assertEquals(5e-4, c10.weightDecay, 0);
        assertEquals(0.9, c10.momentum, 0);
        assertEquals(200, c10.epochs);
        assertEquals("cosine-epoch", c10.lrSchedule);
        assertEquals(0.4, c10.methodOption("beta"), 0);
        assertEquals(32, c10.imageSize);
        assertEquals("cifar10", c10.dataset);

        TrainConfig c100 = preset("rsa-cifar100");
        assertEquals(0.3, c100.methodOption("beta"), 0);
        assertEquals("cifar100", c100.dataset);

        TrainConfig stl = preset("rsa-stl10");
        assertEquals(64, stl.imageSize);
        assertEquals("stl10", stl.dataset);
        assertEquals(0.4, stl.methodOption("beta"), 0);
    }

    @Test
    void rsaImagenetPresets() {
        TrainConfig in100 = preset("rsa-imagenet100");
        assertEquals("resnet50", in100.arch);
        assertEquals(0.2, in100.effectiveLr(), 1e-12);
        assertEquals(1e-4, in100.weightDecay, 0);
        assertEquals("warmup-cosine-step", in100.lrSchedule);
        assertEquals(0, in100.warmupEpochs);
        assertEquals("sgd", in100.optimizer);

        TrainConfig in1k = preset("rsa-imagenet1k");
        assertEquals("lars", in1k.optimizer);
        assertEquals(0.6, in1k.lr, 0);
        assertEquals(2048, in1k.batchSize);
        assertEquals(4.8, in1k.effectiveLr(), 1e-12);
        assertEquals(1e-6, in1k.weightDecay, 0);
        assertEquals(10, in1k.warmupEpochs);
        assertEquals("warmup-cosine-step", in1k.lrSchedule);
        assertEquals(200, in1k.epochs);
    }

    @Test
    void dsslPresets() {
        TrainConfig cifar = preset("dssl-simsiam-cifar10");
        assertEquals(0.06, cifar.effectiveLr(), 1e-12);
        assertEquals(800, cifar.epochs);
        assertEquals(512, cifar.batchSize);
        assertEquals("dssl-epoch", cifar.lrSchedule);
        assertEquals(10, cifar.warmupEpochs);
        assertEquals(0.1, cifar.methodOption("soft-loss-rate"), 0);
        assertEquals(2, cifar.randaugN);
        assertEquals(9, cifar.randaugM);
        assertEquals("dssl-cifar", cifar.effectivePlan());

        TrainConfig in = preset("dssl-simsiam-imagenet");
        assertEquals(0.1, in.effectiveLr(), 1e-12);
        assertEquals("none", in.lrScaling);
        assertEquals(100, in.epochs);
        assertEquals(0.0, in.methodOption("soft-loss-rate"), 0);
        assertEquals("dssl-imagenet", in.effectivePlan());
        assertEquals("resnet50", in.arch);

        TrainConfig byol = preset("dssl-byol-imagenet");
        assertEquals("dssl-byol", byol.method);
        assertEquals("dssl-byol-harder", byol.effectivePlan());
        assertEquals("constant", byol.emaSchedule);
        assertEquals("after-step", byol.emaTiming);
        assertEquals(0.99, byol.emaBase, 0);
        assertEquals(8, byol.hardN);
        assertEquals(16, byol.hardM);
    }

    @Test
    void baselinePresets() {
        TrainConfig byol = preset("byol-cifar10");
        assertEquals("byol", byol.method);
        assertEquals("byol", byol.effectivePlan());
        assertEquals(0.1, byol.effectiveLr(), 1e-12);

        TrainConfig simsiam = preset("simsiam-cifar10");
        assertEquals("simsiam", simsiam.method);
        assertEquals("simsiam", simsiam.effectivePlan());
        assertEquals(0.06, simsiam.effectiveLr(), 1e-12);
    }

    @Test
    void dsslByolBaselinePresetsKeepDsslByolsRecipe() {
        // Table 3's ImageNet BYOL rows differ from 'w/ DSSL' (dssl-byol-imagenet) in method and views only
        TrainConfig dssl = preset("dssl-byol-imagenet");
        TrainConfig repro = preset("byol-dssl-imagenet");
        TrainConfig heavy = preset("byol-heavy-imagenet");
        assertEquals("dssl-byol-baseline", repro.method);
        assertEquals("dssl-byol-standard", repro.effectivePlan());
        assertEquals("heavy-symmetric-byol", heavy.method);
        assertEquals("dssl-byol-harder", heavy.effectivePlan());
        for (TrainConfig c : List.of(repro, heavy)) {
            assertEquals("resnet50", c.arch, c.preset);
            assertFalse(c.zeroInitResidual, c.preset);
            assertEquals("listfile", c.dataset, c.preset);
            assertEquals(224, c.imageSize, c.preset);
            assertEquals(100, c.epochs, c.preset);
            assertEquals(512, c.batchSize, c.preset);
            assertEquals(0.1, c.effectiveLr(), 0, c.preset);
            assertEquals("sgd", c.optimizer, c.preset);
            assertEquals(0.9, c.momentum, 0, c.preset);
            assertFalse(c.nesterov, c.preset);
            assertEquals(1e-4, c.weightDecay, 0, c.preset);
            assertEquals("cosine-epoch", c.lrSchedule, c.preset);
            assertEquals(0, c.warmupEpochs, c.preset);
            assertEquals(0.99, c.emaBase, 0, c.preset);
            assertEquals("constant", c.emaSchedule, c.preset);
            assertEquals("after-step", c.emaTiming, c.preset);
            assertEquals(2, c.randaugN, c.preset);
            assertEquals(9, c.randaugM, c.preset);
            assertEquals(8, c.hardN, c.preset);
            assertEquals(16, c.hardM, c.preset);
            assertEquals(dssl.precision, c.precision, c.preset);
        }
        assertTrue(Presets.find("byol-dssl-imagenet").orElseThrow().description().contains("'BYOL (repro.)' row (67.8)"));
        assertTrue(Presets.find("byol-heavy-imagenet").orElseThrow().description().contains("'BYOL w/ T^' row (60.6)"));
    }

    @Test
    void demoIsTheDefaultAndSmall() {
        TrainConfig demo = ConfigResolver.resolve(null, null, ConfigLayer.empty("flags"));
        assertEquals("demo", demo.preset);
        assertEquals("small", demo.arch);
        assertEquals(16, demo.width);
        assertEquals(List.of(1, 1, 1, 1), demo.blocks);
        assertEquals(128, demo.batchSize);
        assertEquals(28, demo.imageSize);
        assertEquals(15, demo.epochs);
        assertEquals(5, demo.knnEvery);
        assertEquals("fashion-mnist", demo.dataset);
        assertEquals("rsa", demo.method);
    }

    @Test
    void linearScalingIsFloatingPoint() {
        TrainConfig c = preset("rsa-cifar10");
        c.batchSize = 128;
        assertEquals(0.05, c.effectiveLr(), 1e-12); // the original's 0.1 * (128 // 256) gave 0
        c.batchSize = 384;
        assertEquals(0.15, c.effectiveLr(), 1e-12); // the original gave 0.1
        c.lrScaling = "none";
        assertEquals(0.1, c.effectiveLr(), 0);
    }

    @Test
    void defaultPlanFollowsTheMethod() {
        TrainConfig c = new TrainConfig();
        String[][] pairs = {{"byol", "byol"}, {"simsiam", "simsiam"}, {"rsa", "rsa"},
            {"dssl-simsiam", "dssl-cifar"}, {"dssl-byol", "dssl-byol-harder"}, {"heavy-symmetric", "dssl-cifar"},
            {"dssl-byol-baseline", "dssl-byol-standard"}, {"heavy-symmetric-byol", "dssl-byol-harder"}};
        for (String[] p : pairs) {
            c.method = p[0];
            c.plan = "";
            assertEquals(p[1], c.effectivePlan());
        }
        c.plan = "rsa-aw";
        assertEquals("rsa-aw", c.effectivePlan());
    }

    @Test
    void vitPresetsTrainATinyVitWithPatches4TheViTWay() {
        for (String name : List.of("rsa-cifar10-vit-t4", "byol-cifar10-vit-t4")) {
            TrainConfig c = preset(name);
            assertEquals("vit-tiny", c.arch, name);
            assertEquals(4, c.patchSize, name);
            assertEquals("cifar10", c.dataset, name);
            assertEquals(32, c.imageSize, name);
            assertEquals("adamw", c.optimizer, name);
            assertEquals(0.95, c.adamBeta2, 0, name);
            assertEquals(0.05, c.weightDecay, 0, name);
            assertEquals("warmup-cosine-step", c.lrSchedule, name);
            assertEquals(10, c.warmupEpochs, name);
            assertEquals(3.0, c.clipGrad, 0, name);
            assertEquals(5e-4, c.effectiveLr(), 1e-12, name);
            assertEquals(192, org.selfsup.job.RunParts.modelSpec(c).featureDim(), name);
        }
        assertEquals("rsa", preset("rsa-cifar10-vit-t4").method);
        assertEquals("byol", preset("byol-cifar10-vit-t4").method);
        assertEquals("byol", preset("byol-cifar10-vit-t4").effectivePlan());
    }

    @Test
    void evaluationProtocolsFollowEachRepository() {
        String[][] expected = {
            // preset, knn-transform, probe
            {"rsa-cifar10", "plain", "cifar"}, {"rsa-stl10", "plain", "cifar"}, {"rsa-tinyimagenet", "plain", "cifar"},
            {"rsa-imagenet1k", "plain", "msf"}, {"dssl-simsiam-cifar10", "dssl-cifar", "dssl-cifar"},
            {"simsiam-cifar10", "dssl-cifar", "dssl-cifar"}, {"simsiam-heavy-cifar10", "dssl-cifar", "dssl-cifar"},
            {"dssl-simsiam-imagenet", "plain", "dssl-imagenet"}, {"simsiam-imagenet", "plain", "dssl-imagenet"},
            {"dssl-byol-imagenet", "plain", "dssl-imagenet"}, {"byol-dssl-imagenet", "plain", "dssl-imagenet"},
            {"byol-heavy-imagenet", "plain", "dssl-imagenet"}, {"demo", "plain", "fast"}};
        for (String[] e : expected) {
            TrainConfig c = preset(e[0]);
            assertEquals(e[1], c.knnTransform, e[0]);
            assertEquals(e[2], c.probe, e[0]);
        }
        TrainConfig tiny = preset("rsa-tinyimagenet");
        assertEquals("tinyimagenet", tiny.dataset);
        assertEquals(64, tiny.imageSize);
    }

    @Test
    void baselinePresetsNameTheirTableRow() {
        for (String name : List.of("simsiam-cifar10", "simsiam-heavy-cifar10", "dssl-simsiam-cifar10", "simsiam-imagenet",
                "simsiam-heavy-imagenet", "dssl-simsiam-imagenet", "dssl-byol-imagenet", "byol-dssl-imagenet",
                "byol-heavy-imagenet")) {
            String d = Presets.find(name).orElseThrow().description();
            assertTrue(d.contains(" row (") && (d.contains("main table") || d.contains("Table 3")), name + ": " + d);
        }
        TrainConfig heavy = preset("simsiam-heavy-cifar10");
        assertEquals("heavy-symmetric", heavy.method);
        assertEquals("dssl-cifar", heavy.effectivePlan());
        TrainConfig base = preset("simsiam-imagenet");
        assertEquals("simsiam", base.method);
        assertEquals("byol", base.effectivePlan());
        assertEquals(0.1, base.effectiveLr(), 0);
        assertEquals("heavy-symmetric", preset("simsiam-heavy-imagenet").method);
        assertEquals("dssl-imagenet", preset("simsiam-heavy-imagenet").effectivePlan());
    }
}
