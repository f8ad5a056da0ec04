package org.selfsup.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.selfsup.config.Choices;

class EmaTest {
    private static Block net(NDManager m) {
        Block b = new SequentialBlock().add(Linear.builder().setUnits(4).build()).add(BatchNorm.builder().build());
        b.setInitializer(new NormalInitializer(), Parameter.Type.WEIGHT);
        b.initialize(m, DataType.FLOAT32, new Shape(8, 3));
        return b;
    }

    private static List<Parameter> params(Block b) {
        List<Parameter> out = new ArrayList<>();
        b.getParameters().forEach(p -> out.add(p.getValue()));
        return out;
    }

    @Test
    void updatesTrainableParametersOnlyAndExactly() {
        try (NDManager m = NDManager.newBaseManager()) {
            Block target = net(m);
            Block online = net(m);
            List<Parameter> tp = params(target);
            List<Parameter> op = params(online);
            // give BN running statistics distinct values by one training-mode forward of each net
            NDArray x = m.randomNormal(new Shape(8, 3));
            target.forward(new ParameterStore(m, false), new ai.djl.ndarray.NDList(x), true);
            online.forward(new ParameterStore(m, false), new ai.djl.ndarray.NDList(x.mul(3).add(1)), true);
            List<float[]> before = new ArrayList<>();
            for (Parameter p : tp) {
                before.add(p.getArray().toFloatArray());
            }
            List<NDArray[]> pairs = Ema.pairs(tp, op);
            long trainable = op.stream().filter(Parameter::requiresGradient).count();
            assertEquals(trainable, pairs.size());
            assertEquals(tp.size() - 2, pairs.size(), "running mean/var are not paired");
            double tau = 0.99;
            try (Ema ema = new Ema(pairs, m)) {
                ema.update(tau);
            }
            for (int i = 0; i < tp.size(); i++) {
                float[] got = tp.get(i).getArray().toFloatArray();
                float[] o = op.get(i).getArray().toFloatArray();
                Parameter.Type type = tp.get(i).getType();
                if (type == Parameter.Type.RUNNING_MEAN || type == Parameter.Type.RUNNING_VAR) {
                    assertArrayEquals(before.get(i), got, "running statistics untouched");
                } else {
                    for (int j = 0; j < got.length; j++) {
                        assertEquals(tau * before.get(i)[j] + (1 - tau) * o[j], got[j], 1e-6);
                    }
                }
            }
        }
    }

    @Test
    void timingParses() {
        assertEquals(Choices.EmaTiming.BEFORE_FORWARD, Choices.of(Choices.EmaTiming.class, "before-forward"));
        assertEquals(Choices.EmaTiming.AFTER_STEP, Choices.of(Choices.EmaTiming.class, "after-step"));
    }
}
