package org.selfsup.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.selfsup.optim.Sgd;

/**
 * The fp16 loss scaler against GradScaler's rules, through {@link ScaledOptimizer} over a real SGD: the
 * loss {@code sum(c ⊙ w)} has gradient {@code c}, so after unscaling the update is known exactly (the
 * scale is a power of two). An inf or NaN in {@code c} injects a non-finite gradient.
 */
class LossScalerTest {
    private NDManager manager;
    private Parameter w;
    private Sgd sgd;
    private LossScaler scaler;
    private ScaledOptimizer opt;

    @BeforeAll
    static void threads() {
        org.selfsup.model.TorchThreads.single();
    }

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
        NDArray a = manager.create(new float[] {1f, -2f, 0.5f});
        a.setRequiresGradient(true);
        w = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).optArray(a).build();
        sgd = new Sgd(List.of(w), manager, 0.9, false, 0.0);
        scaler = new LossScaler(manager, 8, 2, 0.5, 3);
        opt = new ScaledOptimizer(sgd, scaler, List.of(w), manager);
    }

    @AfterEach
    void close() {
        opt.close();
        manager.close();
    }

    /** Back-propagates the scaled loss sum(c * w), then steps with lr 0.5 and zeroes the gradient. */
    private void step(float... c) {
        try (NDManager sm = manager.newSubManager();
             GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray loss = w.getArray().mul(sm.create(c)).sum();
            gc.backward(scaler.scale(loss));
        }
        opt.step(0.5);
        opt.zeroGrad();
    }

    private float[] weights() {
        return w.getArray().toFloatArray();
    }

    @Test
    void scaleGrowsAfterTheIntervalOfCleanSteps() {
        step(1f, 1f, 1f);
        step(1f, 1f, 1f);
        assertEquals(8.0, scaler.scaleValue());
        assertEquals(2, scaler.trackerValue());
        step(1f, 1f, 1f);
        assertEquals(16.0, scaler.scaleValue(), "x2 after 3 consecutive finite steps");
        assertEquals(0, scaler.trackerValue());
        // the updates used the unscaled gradient: buf = 1, 1.9, 2.71; w -= 0.5 * buf
        float drop = 0.5f * (1f + 1.9f + 2.71f);
        assertArrayEquals(new float[] {1f - drop, -2f - drop, 0.5f - drop}, weights(), 1e-5f);
        assertEquals(0, scaler.skippedValue());
    }

    @Test
    void anInfiniteGradientSkipsTheStepAndBacksOff() {
        step(1f, 2f, 3f);
        float[] before = weights();
        float[] bufBefore = sgd.buffer(0).toFloatArray();
        step(1f, Float.POSITIVE_INFINITY, 3f);
        assertArrayEquals(before, weights(), 0f, "skipped: weights unchanged bit for bit");
        assertArrayEquals(bufBefore, sgd.buffer(0).toFloatArray(), 0f, "skipped: momentum unchanged");
        assertEquals(4.0, scaler.scaleValue(), "x0.5 backoff");
        assertEquals(0, scaler.trackerValue());
        assertEquals(1, scaler.skippedValue());
        step(Float.NaN, 0f, 0f);
        assertArrayEquals(before, weights(), 0f, "a NaN gradient is skipped too");
        assertEquals(2.0, scaler.scaleValue());
        assertEquals(2, scaler.skippedValue());
        // the next finite step applies again, from the untouched state
        step(1f, 2f, 3f);
        float[] buf = sgd.buffer(0).toFloatArray();
        assertArrayEquals(new float[] {1.9f, 3.8f, 5.7f}, buf, 1e-6f);
        assertEquals(1, scaler.trackerValue());
    }

    @Test
    void gradientOverflowInTheScaledLossIsCaughtAndTheScaleRecovers() {
        LossScaler big = new LossScaler(manager, 1e38, 2, 0.5, 3);
        ScaledOptimizer o = new ScaledOptimizer(new Sgd(List.of(w), manager, 0.0, false, 0.0), big, List.of(w), manager);
        try {
            float[] before = weights();
            try (NDManager sm = manager.newSubManager();
                 GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(big.scale(w.getArray().mul(sm.create(new float[] {10f, 10f, 10f})).sum()));
            }
            o.step(0.5);
            o.zeroGrad();
            assertArrayEquals(before, weights(), 0f, "10 x 1e38 overflows float32: the step is skipped");
            assertEquals(5e37, big.scaleValue(), 1e32);
        } finally {
            o.close();
        }
    }

    @Test
    void stateRoundTripsThroughTheOptimiserState() throws Exception {
        step(1f, 1f, 1f);
        step(Float.POSITIVE_INFINITY, 1f, 1f);
        step(1f, 1f, 1f);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        opt.save(new DataOutputStream(bytes));
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(new float[] {0f, 0f, 0f});
            a.setRequiresGradient(true);
            Parameter p = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).optArray(a).build();
            LossScaler s2 = new LossScaler(m, 8, 2, 0.5, 3);
            try (ScaledOptimizer o2 = new ScaledOptimizer(new Sgd(List.of(p), m, 0.9, false, 0.0), s2, List.of(p), m)) {
                o2.load(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
                assertEquals(scaler.scaleValue(), s2.scaleValue());
                assertEquals(scaler.trackerValue(), s2.trackerValue());
                assertEquals(scaler.skippedValue(), s2.skippedValue());
                assertEquals(4.0, s2.scaleValue());
            }
        }
    }

    @Test
    void defaultsAreGradScalers() {
        assertEquals(65536.0, LossScaler.INIT_SCALE);
        assertEquals(2.0, LossScaler.GROWTH_FACTOR);
        assertEquals(0.5, LossScaler.BACKOFF_FACTOR);
        assertEquals(2000, LossScaler.GROWTH_INTERVAL);
        try (LossScaler s = new LossScaler(manager)) {
            assertEquals(65536.0, s.scaleValue());
        }
    }
}
