package org.selfsup.runtime;

import ai.djl.Device;
import ai.djl.engine.Engine;
import org.selfsup.natives.LibTorch;
import org.selfsup.util.UserException;

/** Which device a process trains and evaluates on ({@code device: auto|cpu|gpu|gpu:N}). */
public final class Devices {
    private Devices() {}

    /**
     * The device {@code auto|cpu|gpu|gpu:N} names: {@code auto} is the first GPU when the engine sees one,
     * else the CPU.
     *
     * @throws UserException for {@code gpu}/{@code gpu:N} when the engine has no such GPU, saying why (CPU
     *                       libtorch, or no CUDA runtime found), and for an unknown name
     */
    public static Device select(String name) {
        int gpus = Engine.getInstance().getGpuCount();
        if ("cpu".equals(name)) {
            return Device.cpu();
        } else if ("auto".equals(name)) {
            return gpus > 0 ? Device.gpu() : Device.cpu();
        } else if (name != null && name.matches("gpu(:\\d+)?")) {
            int index = name.equals("gpu") ? 0 : Integer.parseInt(name.substring(4));
            if (gpus == 0) {
                throw new UserException("device: '" + name + "' asked for, but " + LibTorch.get().whyNoGpu());
            }
            if (index >= gpus) {
                throw new UserException("device: '" + name + "' asked for, but the PyTorch engine sees " + gpus
                        + " GPU" + (gpus == 1 ? "" : "s") + " (gpu:0 to gpu:" + (gpus - 1) + ")");
            }
            return Device.gpu(index);
        }
        throw new UserException("device: unknown value '" + name + "' (auto, cpu, gpu, gpu:N)");
    }

    /**
     * The device of one rank of a data-parallel job whose ranks all selected {@code selected}: for a GPU,
     * {@code gpu(localRank mod visible GPUs)} (one GPU per rank, or all ranks of a machine seeing every
     * GPU); the CPU is shared.
     */
    public static Device ofLocalRank(Device selected, int localRank) {
        return selected.isGpu() ? Device.gpu(localRank % Engine.getInstance().getGpuCount()) : selected;
    }
}
