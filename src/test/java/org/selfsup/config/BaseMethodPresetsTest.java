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
}
