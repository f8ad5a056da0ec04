package org.selfsup.natives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.selfsup.model.TorchThreads;
import org.selfsup.util.UserException;

class LibTorchTest {
    private static LibTorch torch;

    @BeforeAll
    static void load() {
        TorchThreads.single();
        torch = LibTorch.get();
    }

    @Test
    void findsTheLibraryDjlLoaded() {
        assertEquals("2.7.1", torch.version());
        assertTrue(torch.directory().resolve("libtorch_cpu.so").toFile().isFile(), torch.directory().toString());
    }

    @Test
    void dataPointerAddressesTheArraysData() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(new float[] {1.5f, -2f, 3.25f});
            long ptr = torch.dataPtr(a);
            assertTrue(ptr != 0);
            // The same bytes DJL reads: compare through a direct view of the native address.
            ByteBuffer view = new com.sun.jna.Pointer(ptr).getByteBuffer(0, 12).order(ByteOrder.nativeOrder());
            assertEquals(1.5f, view.getFloat(0));
            assertEquals(-2f, view.getFloat(4));
            assertEquals(3.25f, view.getFloat(8));
            // A slice starts further into the same storage.
            NDArray tail = a.get("1:");
            assertEquals(ptr + 4, torch.dataPtr(tail));
        }
    }

    @Test
    void dtypeSeesWhatDjlCallsUnknown() {
        try (NDManager m = NDManager.newBaseManager()) {
            assertEquals(ScalarType.FLOAT32, torch.dtype(m.ones(new Shape(2))));
            assertEquals(ScalarType.INT64, torch.dtype(m.ones(new Shape(2), DataType.INT64)));
            assertEquals(ScalarType.FLOAT16, torch.dtype(m.ones(new Shape(2), DataType.FLOAT16)));
            NDArray w = m.ones(new Shape(3, 4));
            NDArray x = m.ones(new Shape(2, 4));
            NDArray y;
            try (AutocastScope s = AutocastScope.open(torch, LibTorch.DEVICE_CPU, ScalarType.BFLOAT16)) {
                y = ai.djl.nn.core.Linear.linear(x, w).singletonOrThrow();
            }
            assertEquals(ScalarType.BFLOAT16, torch.dtype(y));
        }
    }

    @Test
    void missingSymbolNamesItAndTheVersion() {
        UserException e = assertThrows(UserException.class, () -> torch.require("_ZN2at9no_such_fnEv", "a test"));
        assertTrue(e.getMessage().contains("_ZN2at9no_such_fnEv"), e.getMessage());
        assertTrue(e.getMessage().contains("libtorch 2.7.1"), e.getMessage());
        assertTrue(e.getMessage().contains("a test"), e.getMessage());
        assertFalse(torch.exports("_ZN2at9no_such_fnEv"));
    }

    @Test
    void cudaStreamIsReportedAbsentOnTheCpuBuild() {
        assertFalse(torch.hasCudaStream());
        assertTrue(torch.currentCudaStream(0).isEmpty());
    }

    @Test
    void autocastIsRestoredAfterAnException() {
        assertFalse(torch.isAutocastEnabled(LibTorch.DEVICE_CPU));
        ScalarType before = torch.autocastDtype(LibTorch.DEVICE_CPU);
        assertThrows(ArithmeticException.class, () -> {
            try (AutocastScope s = AutocastScope.open(torch, LibTorch.DEVICE_CPU, ScalarType.FLOAT16)) {
                assertTrue(torch.isAutocastEnabled(LibTorch.DEVICE_CPU));
                assertEquals(ScalarType.FLOAT16, torch.autocastDtype(LibTorch.DEVICE_CPU));
                throw new ArithmeticException("forward failed");
            }
        });
        assertFalse(torch.isAutocastEnabled(LibTorch.DEVICE_CPU));
        assertEquals(before, torch.autocastDtype(LibTorch.DEVICE_CPU));
    }

    @Test
    void nestedScopesRestoreTheOuterState() {
        try (AutocastScope outer = AutocastScope.open(torch, LibTorch.DEVICE_CPU, ScalarType.BFLOAT16)) {
            try (AutocastScope inner = AutocastScope.open(torch, LibTorch.DEVICE_CPU, ScalarType.FLOAT16)) {
                assertEquals(ScalarType.FLOAT16, torch.autocastDtype(LibTorch.DEVICE_CPU));
            }
            assertTrue(torch.isAutocastEnabled(LibTorch.DEVICE_CPU));
            assertEquals(ScalarType.BFLOAT16, torch.autocastDtype(LibTorch.DEVICE_CPU));
        }
        assertFalse(torch.isAutocastEnabled(LibTorch.DEVICE_CPU));
    }

    @Test
    void autocastIsPerThreadAndAScopeClosesOnlyOnItsThread() throws Exception {
        AtomicBoolean seenElsewhere = new AtomicBoolean(true);
        AtomicReference<Throwable> closeElsewhere = new AtomicReference<>();
        AutocastScope s = AutocastScope.open(torch, LibTorch.DEVICE_CPU, ScalarType.BFLOAT16);
        try {
            Thread other = new Thread(() -> {
                seenElsewhere.set(torch.isAutocastEnabled(LibTorch.DEVICE_CPU));
                try {
                    s.close();
                } catch (Throwable t) {
                    closeElsewhere.set(t);
                }
            });
            other.start();
            other.join();
            assertFalse(seenElsewhere.get(), "autocast state leaked to another thread");
            assertTrue(closeElsewhere.get() instanceof IllegalStateException, String.valueOf(closeElsewhere.get()));
            assertTrue(torch.isAutocastEnabled(LibTorch.DEVICE_CPU), "the failed close changed this thread's state");
        } finally {
            s.close();
        }
        assertFalse(torch.isAutocastEnabled(LibTorch.DEVICE_CPU));
    }

    @Test
    void contextSwitchesRoundTrip() {
        boolean before = torch.benchmarkCuDNN();
        try {
            torch.setBenchmarkCuDNN(true);
            assertTrue(torch.benchmarkCuDNN());
            torch.setBenchmarkCuDNN(false);
            assertFalse(torch.benchmarkCuDNN());
        } finally {
            torch.setBenchmarkCuDNN(before);
        }
        boolean tf32 = torch.allowTF32CuBLAS();
        try {
            torch.setAllowTF32CuBLAS(true);
            assertTrue(torch.allowTF32CuBLAS());
        } finally {
            torch.setAllowTF32CuBLAS(tf32);
        }
        assertEquals(tf32, torch.allowTF32CuBLAS());
    }

    @Test
    void channelsLastKeepsValuesHandleAndGradient() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] values = new float[2 * 3 * 2 * 2];
            for (int i = 0; i < values.length; i++) {
                values[i] = i * 0.5f - 3f;
            }
            NDArray w = m.create(values, new Shape(2, 3, 2, 2));
            w.setRequiresGradient(true);
            assertFalse(torch.isChannelsLast(w));
            long handle = ((ai.djl.pytorch.engine.PtNDArray) w).getHandle();
            torch.toChannelsLast(w);
            w.setRequiresGradient(true);
            assertTrue(torch.isChannelsLast(w), java.util.Arrays.toString(torch.strides(w)));
            assertEquals(handle, ((ai.djl.pytorch.engine.PtNDArray) w).getHandle());
            assertEquals(new Shape(2, 3, 2, 2), w.getShape());
            org.junit.jupiter.api.Assertions.assertArrayEquals(values, w.toFloatArray(), "DJL reads the values in NCHW order");
            // gradients still flow to it, and a convolution with it matches the contiguous weight's
            NDArray x = m.randomNormal(new Shape(1, 3, 5, 5));
            NDArray ref = m.create(values, new Shape(2, 3, 2, 2));
            try (ai.djl.training.GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                NDArray y = ai.djl.nn.convolutional.Conv2d.conv2d(x, w, null, new Shape(1, 1),
                        new Shape(0, 0), new Shape(1, 1), 1).singletonOrThrow();
                NDArray yRef = ai.djl.nn.convolutional.Conv2d.conv2d(x, ref, null, new Shape(1, 1),
                        new Shape(0, 0), new Shape(1, 1), 1).singletonOrThrow();
                assertTrue(y.sub(yRef).abs().max().getFloat() < 1e-5f);
                gc.backward(y.sum());
            }
            assertTrue(w.getGradient().abs().sum().getFloat() > 0);
            // a checkpoint load writes NCHW values into the array (NDArray.set): they must land in order
            float[] other = new float[values.length];
            for (int i = 0; i < other.length; i++) {
                other[i] = 100 + i;
            }
            w.set(java.nio.FloatBuffer.wrap(other));
            org.junit.jupiter.api.Assertions.assertArrayEquals(other, w.toFloatArray(), "set() on a channels-last array");
        }
    }
}
