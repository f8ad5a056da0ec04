package org.selfsup.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.selfsup.method.MethodRegistry;
import org.selfsup.natives.LibTorch;

/** Loading values into parameters keeps a channels-last layout (resume and init-from with --channels-last). */
class ParamValuesTest {
    private final LibTorch torch = LibTorch.get();

    @Test
    void aLoadedWeightStaysChannelsLastAndStillLearns() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = m.randomNormal(new Shape(4, 3, 3, 3));
            torch.toChannelsLast(w);
            w.setRequiresGradient(true);
            float[] values = m.randomNormal(new Shape(4, 3, 3, 3)).toFloatArray();
            ParamValues.set(w, values);
            assertTrue(torch.isChannelsLast(w), java.util.Arrays.toString(torch.strides(w)));
            assertArrayEquals(values, w.toFloatArray());
            NDArray x = m.randomNormal(new Shape(2, 3, 5, 5));
            try (GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                NDArray y = Conv2d.conv2d(x, w, null, new Shape(1, 1), new Shape(0, 0), new Shape(1, 1), 1)
                        .singletonOrThrow();
                gc.backward(y.sum());
            }
            assertTrue(w.getGradient().abs().sum().getFloat() > 0, "still a leaf that receives gradients");
        }
    }

    @Test
    void aCheckpointLoadedIntoAChannelsLastModelKeepsTheLayout() {
        ModelSpec spec = MethodRegistry.modelSpec("byol", "small", 8, List.of(1, 1, 1, 1), false);
        try (NDManager m = NDManager.newBaseManager();
             SslModel saved = SslModel.create(spec, true, true, m, 16, 3);
             SslModel loaded = SslModel.create(spec, true, true, m, 16, 3)) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            saved.save(new DataOutputStream(buf));
            List<NDArray> convs = new ArrayList<>();
            for (Parameter p : loaded.allParameters()) {
                if (p.getArray().getShape().dimension() == 4) {
                    torch.toChannelsLast(p.getArray());
                    convs.add(p.getArray());
                }
            }
            assertTrue(convs.size() > 3);
            loaded.load(new DataInputStream(new ByteArrayInputStream(buf.toByteArray())));
            for (NDArray a : convs) {
                assertTrue(torch.isChannelsLast(a), "after load: " + a.getShape());
            }
            List<Parameter> a = saved.allParameters();
            List<Parameter> b = loaded.allParameters();
            for (int i = 0; i < a.size(); i++) {
                assertArrayEquals(a.get(i).getArray().toFloatArray(), b.get(i).getArray().toFloatArray());
            }
        }
    }
}
