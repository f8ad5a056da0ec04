package org.selfsup.distributed;

import ai.djl.ndarray.NDArray;
import org.selfsup.natives.Mpi;

/**
 * {@link Collective} over MPI for the CPU engine: the arrays' data pointers (host memory, from
 * libtorch's C shim) go straight to {@code MPI_Allreduce} with {@code MPI_IN_PLACE}.
 */
final class MpiCollective implements Collective {
    private final Mpi mpi;

    MpiCollective(Mpi mpi) {
        this.mpi = mpi;
    }

    @Override
    public int rank() {
        return mpi.rank();
    }

    @Override
    public int size() {
        return mpi.size();
    }

    @Override
    public String name() {
        return "MPI";
    }

    @Override
    public void allReduce(NDArray a, Op op) {
        mpi.allReduce(a, op == Op.SUM ? Mpi.Op.SUM : Mpi.Op.MAX);
    }

    /** Nothing to do: once this process exits, mpirun ends the other ranks. */
    @Override
    public void abort() {}

    @Override
    public void close() {
        mpi.finish();
    }
}
