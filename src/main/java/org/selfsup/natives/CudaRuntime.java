package org.selfsup.natives;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.ptr.LongByReference;
import java.util.List;
import java.util.Optional;

/**
 * The CUDA runtime ({@code libcudart}) as PyTorch's pip wheels, conda and the CUDA toolkit install it, for the
 * few calls selfsup makes itself: the device's memory in use (peak-memory figures of the benchmarks) and
 * the current device (NCCL). Pip installs only versioned names ({@code libcudart.so.13} in
 * {@code nvidia/cu13/lib}, {@code .so.12} in {@code nvidia/cuda_runtime/lib}), so each is tried by name.
 */
public final class CudaRuntime {
    /** The names tried, newest first; "cudart" is the unversioned link a CUDA toolkit installs. */
    static final List<String> NAMES = List.of("cudart", "libcudart.so.13", "libcudart.so.12", "libcudart.so.11.0");

    /** What to do when none loads. */
    static final String HINT = "put the folder holding libcudart.so.* (pip: site-packages/nvidia/cu13/lib or "
            + "nvidia/cuda_runtime/lib; conda: $CONDA_PREFIX/lib) on LD_LIBRARY_PATH (./selfsup does this itself)";

    interface Api extends Library {
        int cudaMemGetInfo(LongByReference free, LongByReference total);
    }

    private static volatile Optional<Api> api;

    private CudaRuntime() {}

    private static Optional<Api> api() {
        Optional<Api> a = api;
        if (a == null) {
            synchronized (CudaRuntime.class) {
                a = api;
                if (a == null) {
                    a = Optional.empty();
                    for (String name : NAMES) {
                        try {
                            a = Optional.of(Native.load(name, Api.class));
                            break;
                        } catch (UnsatisfiedLinkError e) {
                            // try the next name
                        }
                    }
                    api = a;
                }
            }
        }
        return a;
    }

    /**
     * Bytes of the current GPU's memory in use by all processes (total minus free, as {@code nvidia-smi} counts
     * it: the CUDA context and every caching allocator's reserve included), or -1 without a CUDA runtime.
     */
    public static long deviceMemoryUsed() {
        Optional<Api> a = api();
        if (a.isEmpty()) {
            return -1;
        }
        LongByReference free = new LongByReference();
        LongByReference total = new LongByReference();
        if (a.get().cudaMemGetInfo(free, total) != 0) {
            return -1;
        }
        return total.getValue() - free.getValue();
    }
}
