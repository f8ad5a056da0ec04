package org.selfsup.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.selfsup.config.TrainConfig;
import org.selfsup.optim.Lars;
import org.selfsup.optim.Optimizer;
import org.selfsup.optim.Sgd;

/**
 * Per-step scalars read from device tables give bit-identical updates to scalars created from the
 * host, and a run's schedule holds exactly the schedule values, as host values and in its tables.
 */
class DeviceScheduleTest {
    @Test
    void tableHoldsTheFloat32ScheduleValues() {
        TrainConfig c = TinyRuns.config(java.nio.file.Path.of("unused"), "x", "byol", 3);
        c.lrSchedule = "warmup-cosine-step";
        c.warmupEpochs = 1;
        try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu());
             RunSchedule s = RunSchedule.forRun(c, 5, 15, true, m);
             NDManager step = m.newSubManager()) {
            for (long k = 1; k <= 15; k++) {
                int epoch = (int) ((k - 1) / 5);
                long batch = (k - 1) % 5;
                double lr = LrSchedule.lr(c, epoch, batch, 5);
                assertEquals(lr, s.lr(epoch, (int) batch), "host lr at " + k);
                assertEquals((float) lr, s.lrAt(k, step).getFloat(), "lr at " + k);
                double tau = LrSchedule.tau(c, k, 15);
                assertEquals(tau, s.tau(k), "host tau at " + k);
                assertEquals((float) tau, s.tauAt(k, step).getFloat(), "tau at " + k);
                assertEquals((float) (1 - tau), s.restAt(k, step).getFloat(), "1 - tau at " + k);
            }
            assertThrows(IndexOutOfBoundsException.class, () -> s.lrAt(16, step));
            assertThrows(IndexOutOfBoundsException.class, () -> s.lrAt(0, step));
        }
    }

    @Test
    void withoutEmaTauIsNaNAndHasNoTable() {
        TrainConfig c = TinyRuns.config(java.nio.file.Path.of("unused"), "x", "simsiam", 2);
        try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu());
             RunSchedule s = RunSchedule.forRun(c, 3, 6, false, m);
             NDManager step = m.newSubManager()) {
            assertFalse(s.hasTau());
            assertTrue(Double.isNaN(s.tau(1)));
            assertThrows(IllegalStateException.class, () -> s.tauAt(1, step));
            assertEquals((float) LrSchedule.lr(c, 1, 2, 3), s.lrAt(6, step).getFloat());
        }
    }

    @Test
    void tableScalarsUpdateExactlyLikeHostScalars() {
        double[] lrs = {0.3, 0.3, 0.1, 0.05};
        double[] taus = {0.99, 0.993, 0.996, 1.0};
        try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            for (String kind : new String[] {"sgd", "lars"}) {
                List<Parameter> host = params(m);
                List<Parameter> table = params(m);
                List<NDArray[]> hostPairs = pairs(m, host);
                List<NDArray[]> tablePairs = pairs(m, table);
                try (Optimizer a = optimizer(kind, host, m); Optimizer b = optimizer(kind, table, m);
                     Ema ea = new Ema(hostPairs, m); Ema eb = new Ema(tablePairs, m);
                     DeviceSchedule lr = new DeviceSchedule(m, 4, k -> lrs[(int) k - 1]);
                     DeviceSchedule tau = new DeviceSchedule(m, 4, k -> taus[(int) k - 1]);
                     DeviceSchedule rest = new DeviceSchedule(m, 4, k -> 1 - taus[(int) k - 1])) {
                    for (int k = 1; k <= 4; k++) {
                        backward(m, host);
                        backward(m, table);
                        try (NDManager step = m.newSubManager()) {
                            a.step(lrs[k - 1]);
                            b.step(lr.at(k, step));
                            a.zeroGrad();
                            b.zeroGrad();
                            ea.update(taus[k - 1]);
                            eb.update(tau.at(k, step), rest.at(k, step));
                        }
                    }
                }
                for (int i = 0; i < host.size(); i++) {
                    assertArrayEquals(host.get(i).getArray().toFloatArray(), table.get(i).getArray().toFloatArray(),
                            kind + " parameter " + i);
                    assertArrayEquals(hostPairs.get(i)[0].toFloatArray(), tablePairs.get(i)[0].toFloatArray(),
                            kind + " target " + i);
                }
            }
        }
    }

    private static Optimizer optimizer(String kind, List<Parameter> ps, NDManager m) {
        return kind.equals("sgd") ? new Sgd(ps, m, 0.9, false, 5e-4) : new Lars(ps, m, 0.9, 5e-4);
    }

    private static List<Parameter> params(NDManager m) {
        NDArray a = m.create(new float[] {0.3f, -1.2f, 0.7f, 2.0f, -0.1f, 0.05f}, new Shape(2, 3));
        NDArray b = m.create(new float[] {0.4f, -0.6f, 1.5f});
        a.setRequiresGradient(true);
        b.setRequiresGradient(true);
        return List.of(Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).optArray(a).build(),
                Parameter.builder().setName("b").setType(Parameter.Type.BIAS).optArray(b).build());
    }

    /** Target copies of the parameters, paired {target, online}. */
    private static List<NDArray[]> pairs(NDManager m, List<Parameter> ps) {
        List<NDArray[]> out = new ArrayList<>();
        for (Parameter p : ps) {
            out.add(new NDArray[] {p.getArray().duplicate().mul(m.create(0.5f)), p.getArray()});
        }
        return out;
    }

    /** loss = sum(w^3) / 3 + sum(w): gradient w^2 + 1. */
    private static void backward(NDManager m, List<Parameter> ps) {
        try (NDManager t = m.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray loss = null;
            for (Parameter p : ps) {
                NDArray w = p.getArray();
                NDArray term = w.mul(w).mul(w).sum().div(t.create(3f)).add(w.sum());
                loss = loss == null ? term : loss.add(term);
            }
            gc.backward(loss);
        }
    }
}
