package org.selfsup.runtime;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.List;
import org.selfsup.natives.LibTorch;

/**
 * The execution switches that do not change what is trained: {@code channels-last} (convolution weights,
 * and so activations, in NHWC memory format), {@code cudnn-benchmark} and {@code tf32}. Each returns a
 * one-line notice; on the CPU engine the GPU-only switches are no-ops that say so.
 *
 * <p>{@code tf32: false} leaves libtorch's defaults (as PyTorch: float32 matrix multiplications in full
 * float32, cuDNN convolutions allowed to use TF32); {@code tf32: true} allows TF32 for both.
 */
public final class Acceleration {
    private Acceleration() {}

    /**
     * Applies the switches.
     *
     * @param channelsLast   re-lay every 4-d parameter of {@code params} out channels-last
     * @param cudnnBenchmark let cuDNN pick convolution algorithms by timing them
     * @param tf32           allow TF32 in float32 matmuls and convolutions
     * @param device         the training device
     * @param params         the model's parameters (online and target)
     * @return the notices to print (empty when every switch is off)
     */
    public static List<String> apply(boolean channelsLast, boolean cudnnBenchmark, boolean tf32, Device device,
                                     List<Parameter> params) {
        List<String> notes = new ArrayList<>();
        if (!channelsLast && !cudnnBenchmark && !tf32) {
            return notes;
        }
        LibTorch torch = LibTorch.get();
        boolean gpu = device.isGpu();
        if (channelsLast) {
            int n = toChannelsLast(torch, params);
            notes.add("channels-last: " + n + " convolution weights in channels-last memory format"
                    + (gpu ? "" : " (oneDNN convolutions on the CPU support it; speed depends on the CPU)"));
        }
        if (cudnnBenchmark) {
            if (gpu) {
                torch.setBenchmarkCuDNN(true);
                notes.add("cudnn-benchmark: cuDNN times convolution algorithms on first use (not bit-reproducible)");
            } else {
                notes.add("cudnn-benchmark: no effect on the CPU (no cuDNN)");
            }
        }
        if (tf32) {
            if (gpu) {
                torch.setAllowTF32CuBLAS(true);
                torch.setAllowTF32CuDNN(true);
                notes.add("tf32: float32 matrix multiplications and convolutions may use TF32 (Ampere or newer)");
            } else {
                notes.add("tf32: no effect on the CPU (TF32 is an NVIDIA GPU format)");
            }
        }
        return notes;
    }

    /** Re-lays the 4-d parameters out channels-last, keeping trainable ones trainable; returns how many. */
    static int toChannelsLast(LibTorch torch, List<Parameter> params) {
        int n = 0;
        for (Parameter p : params) {
            NDArray a = p.getArray();
            if (a.getShape().dimension() == 4) {
                boolean grad = a.hasGradient();
                torch.toChannelsLast(a);
                if (grad) {
                    a.setRequiresGradient(true); // the new tensor starts without autograd
                }
                n++;
            }
        }
        return n;
    }
}
