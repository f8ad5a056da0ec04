package org.selfsup.distributed;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.io.PrintStream;
import java.util.List;
import org.selfsup.natives.Mpi;
import org.selfsup.natives.Nccl;
import org.selfsup.util.UserException;

/**
 * The data-parallel side of one process: its place in the job ({@link World}), the collective engine
 * (MPI on the CPU engine, NCCL on GPUs) and the fault watchdog. {@link #single()} for one process, where
 * every method is a no-op and this process writes the run folder.
 */
public final class Distributed implements AutoCloseable {
    private final World world;
    private final Collective collective;
    private final Watchdog watchdog;

    private Distributed(World world, Collective collective, Watchdog watchdog) {
        this.world = world;
        this.collective = collective;
        this.watchdog = watchdog;
    }

    /** One process. */
    public static Distributed single() {
        return new Distributed(World.SINGLE, null, null);
    }

    /**
     * Joins the job {@code world} describes on {@code device}: NCCL for a GPU (unique id by MPI broadcast
     * under mpirun, else by the TCP {@link Rendezvous}), MPI for the CPU.
     *
     * @param timeoutSeconds the fault bound ({@code dist-timeout}): rendezvous and watchdog
     * @param err            where the watchdog reports
     * @throws UserException (exit 2) when the engine is missing or the job cannot be formed
     */
    public static Distributed open(World world, Device device, double timeoutSeconds, PrintStream err) {
        if (!world.distributed()) {
            return single();
        }
        Collective c = device.isGpu() ? nccl(world, device.getDeviceId(), timeoutSeconds) : mpi(world);
        return new Distributed(world, c, new Watchdog(timeoutSeconds, world.label(), c::abort, err));
    }

    private static Collective mpi(World w) {
        if (w.launcher() == World.Launcher.SELFSUP) {
            throw new UserException("distributed: on the CPU the ranks communicate through MPI, which needs MPI's "
                    + "runtime: use selfsup launch --backend mpi, mpirun or srun");
        }
        Mpi m = Mpi.init();
        if (m.size() != w.size() || m.rank() != w.rank()) {
            throw new UserException("distributed: MPI sees rank " + m.rank() + " of " + m.size() + " but the "
                    + w.launcher() + " environment says rank " + w.rank() + " of " + w.size()
                    + " (under srun, this Open MPI needs --mpi=pmix; or start the job with mpirun)");
        }
        return new MpiCollective(m);
    }

    private static Collective nccl(World w, int device, double timeout) {
        Nccl n = Nccl.load();
        byte[] id;
        if (w.launcher() == World.Launcher.MPIRUN) {
            Mpi m = Mpi.init();
            id = w.rank() == 0 ? n.uniqueId() : new byte[Nccl.UNIQUE_ID_BYTES];
            m.broadcast(id, 0);
        } else {
            id = Rendezvous.broadcast(w, n::uniqueId, timeout);
        }
        return new NcclCollective(n, n.join(w.size(), id, w.rank(), device), w.rank(), w.size());
    }

    /** This process's place in the job. */
    public World world() {
        return world;
    }

    /** Whether more than one process takes part. */
    public boolean active() {
        return collective != null;
    }

    /** Whether this process writes metrics, checkpoints and reports (rank 0). */
    public boolean writer() {
        return world.writer();
    }

    /** Number of ranks. */
    public int ranks() {
        return world.size();
    }

    /** The collective engine's name, or "none". */
    public String engine() {
        return collective == null ? "none" : collective.name();
    }

    /** The collective (null for one process). */
    public Collective collective() {
        return collective;
    }

    /**
     * The gradient averaging of {@code params} (DDP's buckets of {@code bucketBytes}), or
     * {@link GradientReducer#NONE} for one process.
     */
    public GradientReducer reducer(List<Parameter> params, long bucketBytes, NDManager device) {
        return collective == null ? GradientReducer.NONE
                : new BucketedAllReduce(params, collective, bucketBytes, device, watchdog);
    }

    /** Exit 2 on every rank unless all ranks hold the same value; no-op for one process. */
    public void requireSame(String what, long value, NDManager device) {
        if (collective != null) {
            collective.requireSame(what, value, device);
        }
    }

    /**
     * Whether {@code flag} holds on any rank (one MAX all-reduce), so that all ranks take the same branch;
     * {@code flag} itself for one process.
     */
    public boolean any(boolean flag, NDManager device) {
        if (collective == null) {
            return flag;
        }
        try (NDManager m = device.newSubManager()) {
            ai.djl.ndarray.NDArray a = m.create(new long[] {flag ? 1 : 0});
            collective.allReduce(a, Collective.Op.MAX);
            return a.toLongArray()[0] != 0;
        }
    }

    /** Starts the fault bound (training steps); no-op for one process. */
    public void arm(String phase) {
        if (watchdog != null) {
            watchdog.arm(phase);
        }
    }

    /** Suspends the fault bound (while rank 0 alone evaluates); no-op for one process. */
    public void disarm() {
        if (watchdog != null) {
            watchdog.disarm();
        }
    }

    @Override
    public void close() {
        if (watchdog != null) {
            watchdog.close();
        }
        if (collective != null) {
            collective.close();
        }
    }
}
