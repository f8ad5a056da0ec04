package org.selfsup.method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.selfsup.model.Backbone;
import org.selfsup.model.ModelSpec;
import org.selfsup.model.SslModel;

/**
 * The papers' combinations under their old names are the heavy-augmentation strategies applied to their base
 * methods, bit for bit: three SGD steps (with an EMA of the target in between) on a tiny real model, one torch
 * thread, give the same parameters, BatchNorm statistics and logged values with the old hand-written losses
 * ({@link LegacyAliases}), with the alias, and with {@code --method BASE --heavy STRATEGY}.
 */
class StrategyAliasIdentityTest {
    @BeforeAll
    static void singleThreaded() {
        org.selfsup.model.TorchThreads.single();
    }

    /** {alias, base, strategy, option key or "", option value}. */
    private static final Object[][] ALIASES = {
        {"rsa", "byol", "rsa", "beta", 0.4},
        {"dssl-simsiam", "simsiam", "dssl", "soft-loss-rate", 0.1},
        {"dssl-simsiam", "simsiam", "dssl", "soft-loss-rate", 0.0},
        {"dssl-byol", "dssl-byol-baseline", "dssl", "soft-loss-rate", 0.0},
        {"heavy-symmetric", "simsiam", "symmetric", "", 0.0},
        {"heavy-symmetric-byol", "dssl-byol-baseline", "symmetric", "", 0.0},
    };

    @Test
    void everyAliasIsItsBaseWithItsStrategyBitForBit() {
        for (Object[] a : ALIASES) {
            String alias = (String) a[0];
            String key = (String) a[3];
            double value = (double) a[4];
            MethodOptions options = key.isEmpty() ? MethodOptions.defaults() : MethodOptions.defaults().with(key, value);
            MethodDefinition aliasDef = MethodRegistry.get(alias);
            MethodDefinition combined = MethodRegistry.resolve((String) a[1], (String) a[2]);
            assertEquals(aliasDef.views(), combined.views(), alias);
            assertEquals(aliasDef.defaultPlan(), combined.defaultPlan(), alias);
            assertSame(aliasDef.heads(), combined.heads(), alias);
            assertEquals(aliasDef.usesTarget(), combined.usesTarget(), alias);

            Map<String, float[]> legacy = train(LegacyAliases.create(alias, value), aliasDef);
            if (key.equals("soft-loss-rate") && value == 0) {
                // the one difference: with lambda 0 the reverse term is not in the loss, and no longer computed
                legacy.keySet().removeIf(n -> n.endsWith("/loss_rev"));
            }
            Map<String, float[]> viaAlias = train(aliasDef.create(options), aliasDef);
            Map<String, float[]> viaAxis = train(combined.create(options), combined);
            assertEquals(legacy.keySet(), viaAlias.keySet(), alias);
            for (String name : legacy.keySet()) {
                assertArrayEquals(legacy.get(name), viaAlias.get(name), alias + " (" + value + "): " + name);
                assertArrayEquals(legacy.get(name), viaAxis.get(name), alias + " as " + a[1] + " + " + a[2] + ": " + name);
            }
        }
    }

    @Test
    void anAliasTakesOnlyItsOwnStrategy() {
        assertSame(MethodRegistry.get("rsa"), MethodRegistry.resolve("rsa", "rsa"));
        assertSame(MethodRegistry.get("rsa"), MethodRegistry.resolve("rsa", "none"));
        org.selfsup.util.UserException e = org.junit.jupiter.api.Assertions.assertThrows(
                org.selfsup.util.UserException.class, () -> MethodRegistry.resolve("rsa", "dssl"));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("already applies the strategy rsa"),
                e.getMessage());
    }

    /**
     * Every parameter after three steps, and each step's logged values (total, terms, shifts, statistics,
     * schedule), by name.
     */
    private static Map<String, float[]> train(SslMethod method, MethodDefinition definition) {
        Map<String, float[]> out = new LinkedHashMap<>();
        ModelSpec spec = definition.modelSpec(Backbone.of("small", 4, List.of(1, 1, 1, 1)), null);
        try (NDManager root = NDManager.newBaseManager();
             SslModel model = SslModel.create(spec, method.usesTarget(), spec.predictor() != null, root, 8, 17)) {
            ParameterStore ps = new ParameterStore(root, false);
            Map<String, NDArray> views = MethodsOnModelTest.fixedViews(root, method.views(), 3);
            for (int k = 1; k <= 3; k++) {
                try (NDManager step = root.newSubManager()) {
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        LossOutput loss = method.loss(model.networks(ps), views, new StepContext(k, 3, 0));
                        String at = "step" + k + "/";
                        record(out, at + "total", loss.total());
                        loss.terms().forEach((n, v) -> record(out, at + n, v));
                        loss.shift().forEach((n, v) -> record(out, at + "shift_" + n, v));
                        loss.stats().forEach((n, v) -> record(out, at + n, v));
                        loss.schedule().forEach((n, v) -> out.put(at + n, new float[] {v.floatValue()}));
                        gc.backward(loss.total());
                    }
                    for (Parameter p : model.trainableParameters()) {
                        try (NDArray g = p.getArray().getGradient(); NDArray update = g.mul(0.05f)) {
                            p.getArray().subi(update);
                        }
                    }
                    for (NDArray[] pair : model.emaPairs()) { // target = 0.9 target + 0.1 online
                        pair[0].muli(0.9f).addi(pair[1].mul(0.1f));
                    }
                }
            }
            for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
                out.put(e.getKey(), e.getValue().getArray().toFloatArray());
            }
        }
        return out;
    }

    private static void record(Map<String, float[]> out, String name, NDArray value) {
        out.put(name, value.toFloatArray());
    }
}
