package org.selfsup.distributed;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.selfsup.util.UserException;

/**
 * The collective operations data-parallel training needs, over all ranks of the job, on DJL arrays in
 * place: MPI for arrays in host memory (CPU engine), NCCL for arrays in GPU memory. Calls come from one
 * thread (the training thread); every rank must make the same calls in the same order.
 */
public interface Collective extends AutoCloseable {
    /** Reduction applied element-wise across ranks. */
    enum Op { SUM, MAX }

    /** This process's rank. */
    int rank();

    /** Number of ranks. */
    int size();

    /** Engine name for messages ("MPI", "NCCL"). */
    String name();

    /**
     * Replaces {@code a} on every rank by the element-wise reduction over ranks. {@code a} must be
     * contiguous, float32 or int64, on the device this collective serves.
     */
    void allReduce(NDArray a, Op op);

    /** Ends the whole job as fast as the engine allows (after a fault); the process exits afterwards. */
    void abort();

    /** Releases the engine's resources on a normal end. */
    @Override
    void close();

    /**
     * Fails on every rank with exit code 2 unless all ranks hold the same {@code value} (one all-reduce
     * of {@code {v, -v}} with MAX: both maxima equal the own value only if all values are equal).
     *
     * @param what   what the value is, for the message
     * @param value  this rank's value (e.g. a checksum)
     * @param device a manager on this collective's device
     */
    default void requireSame(String what, long value, NDManager device) {
        long[] got;
        try (NDManager m = device.newSubManager()) {
            NDArray a = m.create(new long[] {value, -value});
            allReduce(a, Op.MAX);
            got = a.toLongArray();
        }
        if (got[0] != value || -got[1] != value) {
            throw new UserException("distributed: the " + size() + " ranks disagree on " + what
                    + " (this is rank " + rank() + "); start every rank with the same command, configuration and data");
        }
    }
}
