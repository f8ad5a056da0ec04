package org.selfsup.distributed;

import ai.djl.ndarray.NDArray;
import org.selfsup.natives.Nccl;

/**
 * {@link Collective} over NCCL for GPU arrays: in-place {@code ncclAllReduce} on the arrays' device
 * memory on libtorch's current CUDA stream (see {@link Nccl.Comm#allReduce}).
 */
final class NcclCollective implements Collective {
    private final Nccl nccl;
    private final Nccl.Comm comm;
    private final int rank;
    private final int size;

    NcclCollective(Nccl nccl, Nccl.Comm comm, int rank, int size) {
        this.nccl = nccl;
        this.comm = comm;
        this.rank = rank;
        this.size = size;
    }

    @Override
    public int rank() {
        return rank;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public String name() {
        return "NCCL " + nccl.version();
    }

    @Override
    public void allReduce(NDArray a, Op op) {
        comm.allReduce(a, op == Op.MAX);
    }

    @Override
    public void abort() {
        comm.abort();
    }

    @Override
    public void close() {
        comm.destroy();
    }
}
