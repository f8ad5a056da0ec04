package org.selfsup.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.selfsup.config.Choices;
import org.selfsup.config.ConfigLayer;
import org.selfsup.config.ConfigResolver;
import org.selfsup.config.TrainConfig;
import org.selfsup.distributed.GradientReducer;
import org.selfsup.method.MethodOptions;
import org.selfsup.method.MethodRegistry;
import org.selfsup.method.SslMethod;
import org.selfsup.method.StepContext;
import org.selfsup.model.ModelSpec;
import org.selfsup.model.SslModel;
import org.selfsup.runtime.StepPrecision;
import org.selfsup.optim.Sgd;

/**
 * The target of DSSL's BYOL baseline as the {@code byol-dssl-imagenet} preset runs it (methods.md §3.5,
 * §3.8 quirk 7): tau is a constant 0.99 at every step, and the EMA runs after the optimiser step, so the
 * target moves towards the weights that step produced: {@code xi_1 = 0.99 xi_0 + 0.01 theta_1}.
 */
class DsslByolBaselineEmaTest {
    @BeforeAll
    static void oneThread() {
        TinyRuns.singleThreaded();
    }

    private static TrainConfig preset() {
        return ConfigResolver.resolve("byol-dssl-imagenet", null, ConfigLayer.empty("flags"));
    }

    @Test
    void presetTauIsAConstant099() {
        TrainConfig c = preset();
        assertEquals("dssl-byol-baseline", c.method);
        long total = 100L * 2502; // 100 epochs of ImageNet at batch 512
        for (long k : new long[] {1, 2, total / 2, total - 1, total}) {
            assertEquals(0.99, LrSchedule.tau(c, k, total), 0, "step " + k);
        }
        assertEquals(Choices.EmaTiming.AFTER_STEP, Choices.of(Choices.EmaTiming.class, c.emaTiming));
    }

    @Test
    void targetMovesTowardsTheWeightsAfterTheOptimiserStep() {
        TrainConfig c = preset();
        SslMethod method = MethodRegistry.create(c.method, MethodOptions.defaults());
        ModelSpec spec = MethodRegistry.modelSpec(c.method, "small", 4, List.of(1, 1, 1, 1), c.zeroInitResidual);
        try (NDManager m = NDManager.newBaseManager();
             SslModel model = SslModel.create(spec, method.usesTarget(), true, m, 8, 7)) {
            TrainableModel t = TrainableModel.of(model);
            List<NDArray[]> pairs = t.emaPairs();
            List<float[]> target0 = new ArrayList<>();
            List<float[]> online0 = new ArrayList<>();
            for (NDArray[] p : pairs) {
                target0.add(p[0].toFloatArray());
                online0.add(p[1].toFloatArray());
            }
            double tau = LrSchedule.tau(c, 1, 10);
            try (StepPrecision opt = StepPrecision.fp32(new Sgd(t.trainableParameters(), m, c.momentum, c.nesterov,
                    c.weightDecay));
                 Ema ema = new Ema(pairs, m);
                 RunSchedule schedule = RunSchedule.constant(0.5, tau, 10, true, m)) {
                StepRunner runner = new StepRunner(method, t, opt, ema, Choices.of(Choices.EmaTiming.class, c.emaTiming), schedule,
                        GradientReducer.NONE, m);
                runner.zeroGrad();
                try (NDManager sm = m.newSubManager()) {
                    Map<String, NDArray> views = new HashMap<>();
                    for (String v : method.views()) {
                        views.put(v, sm.randomNormal(new Shape(4, 3, 8, 8)));
                    }
                    runner.step(sm, views, new StepContext(1, 10, 0));
                }
            }
            double movedTowardsNew = 0;
            for (int i = 0; i < pairs.size(); i++) {
                float[] target1 = pairs.get(i)[0].toFloatArray();
                float[] online1 = pairs.get(i)[1].toFloatArray();
                for (int j = 0; j < target1.length; j++) {
                    assertEquals(0.99 * target0.get(i)[j] + 0.01 * online1[j], target1[j], 1e-6, "pair " + i);
                    // before-forward timing would have used online0 instead
                    movedTowardsNew = Math.max(movedTowardsNew, Math.abs(0.01 * (online1[j] - online0.get(i)[j])));
                }
            }
            assertTrue(movedTowardsNew > 1e-4, "the step changed the online weights: " + movedTowardsNew);
        }
    }
}
