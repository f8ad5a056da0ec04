package org.selfsup.natives;

import ai.djl.ndarray.NDArray;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.selfsup.util.UserException;

/**
 * Open MPI's C API through JNA ({@code libmpi.so.40}, Debian package {@code libopenmpi3}): the few calls
 * data-parallel training needs, on {@code MPI_COMM_WORLD}.
 *
 * <p>Open MPI's handles ({@code MPI_COMM_WORLD}, {@code MPI_FLOAT}, {@code MPI_SUM}, ...) are the
 * addresses of exported globals ({@code ompi_mpi_comm_world}, {@code ompi_mpi_float},
 * {@code ompi_mpi_op_sum}), read once with {@link NativeLibrary#getGlobalVariableAddress}. MPICH-style
 * libraries (integer handles) are refused with a clear message rather than guessed at.
 *
 * <p>Threading: MPI is initialised with {@code MPI_THREAD_SERIALIZED} and every call is expected from
 * one thread (the training thread); {@link #abort} is the one exception, and is only used to end the
 * process anyway. The library is opened with {@code RTLD_GLOBAL} because Open MPI's plug-ins
 * ({@code mca_*.so}) resolve libmpi's symbols from the global namespace.
 */
public final class Mpi {
    /** {@code MPI_THREAD_SERIALIZED}: any thread may call, one at a time. */
    public static final int THREAD_SERIALIZED = 2;
    private static final int RTLD_NOW = 0x2;
    private static final int RTLD_GLOBAL = 0x100;
    /** Open MPI's {@code MPI_IN_PLACE} is {@code (void *) 1}. */
    private static final Pointer IN_PLACE = Pointer.createConstant(1);

    /** Element types the training code reduces. */
    public enum Type {
        FLOAT("ompi_mpi_float"), DOUBLE("ompi_mpi_double"), INT64("ompi_mpi_int64_t"), BYTE("ompi_mpi_byte");

        final String symbol;

        Type(String symbol) {
            this.symbol = symbol;
        }
    }

    /** Reduction operators. */
    public enum Op {
        SUM("ompi_mpi_op_sum"), MAX("ompi_mpi_op_max"), MIN("ompi_mpi_op_min");

        final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }
    }

    /** The C functions, as Open MPI 4 declares them (handles are pointers). */
    interface Lib extends Library {
        int MPI_Initialized(IntByReference flag);

        int MPI_Init_thread(Pointer argc, Pointer argv, int required, IntByReference provided);

        int MPI_Comm_rank(Pointer comm, IntByReference rank);

        int MPI_Comm_size(Pointer comm, IntByReference size);

        int MPI_Allreduce(Pointer send, Pointer recv, int count, Pointer type, Pointer op, Pointer comm);

        int MPI_Bcast(Pointer buf, int count, Pointer type, int root, Pointer comm);

        int MPI_Barrier(Pointer comm);

        int MPI_Abort(Pointer comm, int code);

        int MPI_Finalize();

        int MPI_Error_string(int code, byte[] text, IntByReference length);
    }

    private static Mpi instance;

    private final Lib lib;
    private final NativeLibrary nl;
    private final Pointer world;
    private final int rank;
    private final int size;
    private boolean finalized;

    private Mpi(Lib lib, NativeLibrary nl) {
        this.lib = lib;
        this.nl = nl;
        this.world = global("ompi_mpi_comm_world");
        IntByReference flag = new IntByReference();
        check(lib.MPI_Initialized(flag), "MPI_Initialized");
        if (flag.getValue() == 0) {
            IntByReference provided = new IntByReference();
            check(lib.MPI_Init_thread(Pointer.NULL, Pointer.NULL, THREAD_SERIALIZED, provided), "MPI_Init_thread");
            // FUNNELED or better is enough: all calls come from the training thread.
            if (provided.getValue() < 1) {
                throw new UserException("MPI: the library provides thread level " + provided.getValue()
                        + " (MPI_THREAD_SINGLE); selfsup needs at least MPI_THREAD_FUNNELED");
            }
        }
        IntByReference r = new IntByReference();
        IntByReference s = new IntByReference();
        check(lib.MPI_Comm_rank(world, r), "MPI_Comm_rank");
        check(lib.MPI_Comm_size(world, s), "MPI_Comm_size");
        this.rank = r.getValue();
        this.size = s.getValue();
    }

    /**
     * Loads libmpi and initialises MPI once per process ({@code MPI_Init_thread}); later calls return the
     * same instance. The library is {@code SELFSUP_MPI_LIB} if set, else {@code libmpi.so.40}.
     *
     * @throws UserException if no usable Open MPI library is found (the message names what was tried)
     */
    public static synchronized Mpi init() {
        if (instance == null) {
            instance = load();
        }
        return instance;
    }

    private static Mpi load() {
        List<String> names = new ArrayList<>();
        String env = System.getenv("SELFSUP_MPI_LIB");
        if (env != null && !env.isBlank()) {
            names.add(env);
        } else {
            names.addAll(List.of("libmpi.so.40", "mpi"));
        }
        Map<String, Object> opts = Map.of(Library.OPTION_OPEN_FLAGS, RTLD_NOW | RTLD_GLOBAL);
        List<String> errors = new ArrayList<>();
        for (String name : names) {
            try {
                NativeLibrary nl = NativeLibrary.getInstance(name, opts);
                Lib lib = Native.load(name, Lib.class, opts);
                try {
                    nl.getGlobalVariableAddress("ompi_mpi_comm_world");
                } catch (UnsatisfiedLinkError e) {
                    throw new UserException("MPI: " + name + " is not Open MPI (no ompi_mpi_comm_world symbol); "
                            + "selfsup's MPI binding needs Open MPI 4 or later (Debian/Ubuntu: apt-get install openmpi-bin)");
                }
                return new Mpi(lib, nl);
            } catch (UnsatisfiedLinkError e) {
                errors.add(name + ": " + firstLine(e.getMessage()));
            }
        }
        throw new UserException("MPI: cannot load Open MPI's library (" + String.join("; ", errors)
                + "); install Open MPI (Debian/Ubuntu: apt-get install openmpi-bin) or set SELFSUP_MPI_LIB to libmpi.so");
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "not found";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private Pointer global(String symbol) {
        return nl.getGlobalVariableAddress(symbol);
    }

    /** This process's rank in {@code MPI_COMM_WORLD}. */
    public int rank() {
        return rank;
    }

    /** Number of processes in {@code MPI_COMM_WORLD}. */
    public int size() {
        return size;
    }

    /**
     * In-place all-reduce of a contiguous CPU array (float32 or int64) over all ranks, on its data pointer.
     */
    public void allReduce(NDArray a, Op op) {
        if (a.getDevice().isGpu()) {
            throw new IllegalArgumentException("MPI all-reduce needs a CPU array, got one on " + a.getDevice());
        }
        Type type = switch (a.getDataType()) {
            case FLOAT32 -> Type.FLOAT;
            case INT64 -> Type.INT64;
            default -> throw new IllegalArgumentException("MPI all-reduce of " + a.getDataType() + " arrays");
        };
        allReduce(new Pointer(LibTorch.get().dataPtr(a)), a.size(), type, op);
    }

    /** Sends {@code data} of rank {@code root} to every rank (in place: the other ranks' contents are replaced). */
    public void broadcast(byte[] data, int root) {
        if (data.length == 0) {
            return;
        }
        try (Memory m = new Memory(data.length)) {
            m.write(0, data, 0, data.length);
            broadcast(m, data.length, Type.BYTE, root);
            m.read(0, data, 0, data.length);
        }
    }

    /** In-place all-reduce of {@code count} elements at {@code data} (host memory) over all ranks. */
    void allReduce(Pointer data, long count, Type type, Op op) {
        check(lib.MPI_Allreduce(IN_PLACE, data, checkedCount(count), global(type.symbol), global(op.symbol), world),
                "MPI_Allreduce");
    }

    /** Broadcasts {@code count} elements at {@code data} from {@code root} to every rank. */
    void broadcast(Pointer data, long count, Type type, int root) {
        check(lib.MPI_Bcast(data, checkedCount(count), global(type.symbol), root, world), "MPI_Bcast");
    }

    /** Waits until every rank has called it. */
    public void barrier() {
        check(lib.MPI_Barrier(world), "MPI_Barrier");
    }

    /** Ends every process of the job ({@code MPI_Abort}); does not return normally. */
    public void abort(int code) {
        lib.MPI_Abort(world, code);
    }

    /** {@code MPI_Finalize}; later calls are no-ops. Called on a normal end only. */
    public synchronized void finish() {
        if (!finalized) {
            finalized = true;
            check(lib.MPI_Finalize(), "MPI_Finalize");
        }
    }

    private static int checkedCount(long count) {
        if (count < 0 || count > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("MPI element count out of int range: " + count);
        }
        return (int) count;
    }

    private void check(int code, String call) {
        if (code != 0) {
            byte[] text = new byte[512];
            IntByReference len = new IntByReference();
            String msg = lib.MPI_Error_string(code, text, len) == 0
                    ? new String(text, 0, Math.max(0, Math.min(len.getValue(), text.length)),
                            java.nio.charset.StandardCharsets.US_ASCII)
                    : "error " + code;
            throw new IllegalStateException(call + " failed: " + msg);
        }
    }
}
