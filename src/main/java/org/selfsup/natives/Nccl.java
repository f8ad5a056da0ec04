package org.selfsup.natives;

import ai.djl.ndarray.NDArray;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import java.util.ArrayList;
import java.util.List;
import org.selfsup.util.UserException;

/**
 * NCCL's C API through JNA ({@code libnccl.so.2}, as shipped in PyTorch's CUDA wheels under
 * {@code site-packages/nvidia/nccl/lib} or by the system): unique id, communicator set-up, in-place
 * all-reduce on device memory on a given CUDA stream, abort. Plus {@code cudaSetDevice} from the CUDA
 * runtime, which NCCL needs before {@code ncclCommInitRank}.
 *
 * <p>Not exercised on the CPU-only development machines: every call checks its result code and turns
 * a failure into an exception carrying {@code ncclGetErrorString}'s text.
 */
public final class Nccl {
    /** Size of {@code ncclUniqueId} (NCCL_UNIQUE_ID_BYTES). */
    public static final int UNIQUE_ID_BYTES = 128;
    /** {@code ncclInt64}. */
    public static final int INT64 = 4;
    /** {@code ncclFloat32}. */
    public static final int FLOAT32 = 7;
    /** {@code ncclSum}. */
    public static final int SUM = 0;
    /** {@code ncclMax}. */
    public static final int MAX = 2;
    /** {@code ncclInProgress}: the communicator's asynchronous work is still running (not an error). */
    private static final int IN_PROGRESS = 7;

    /** {@code ncclUniqueId} passed by value to {@code ncclCommInitRank}. */
    @Structure.FieldOrder("internal")
    public static class UniqueId extends Structure implements Structure.ByValue {
        public byte[] internal = new byte[UNIQUE_ID_BYTES];
    }

    interface Lib extends Library {
        int ncclGetVersion(IntByReference version);

        // ncclUniqueId* out-parameter: a byte[] is passed as a pointer to a buffer copied back after the call
        int ncclGetUniqueId(byte[] id);

        int ncclCommInitRank(PointerByReference comm, int nranks, UniqueId id, int rank);

        int ncclAllReduce(Pointer send, Pointer recv, long count, int type, int op, Pointer comm, Pointer stream);

        int ncclCommGetAsyncError(Pointer comm, IntByReference error);

        int ncclCommAbort(Pointer comm);

        int ncclCommDestroy(Pointer comm);

        String ncclGetErrorString(int result);
    }

    interface CudaRt extends Library {
        int cudaSetDevice(int device);
    }

    private static Nccl instance;

    private final Lib lib;
    private final CudaRt cudart;
    private final int version;

    private Nccl(Lib lib, CudaRt cudart) {
        this.lib = lib;
        this.cudart = cudart;
        IntByReference v = new IntByReference();
        check(lib.ncclGetVersion(v), "ncclGetVersion");
        this.version = v.getValue();
    }

    /**
     * Loads NCCL ({@code SELFSUP_NCCL_LIB}, else {@code libnccl.so.2} on the library path) and the CUDA
     * runtime ({@code libcudart.so}, as DJL itself finds it).
     *
     * @throws UserException if either is missing, naming what was tried
     */
    public static synchronized Nccl load() {
        if (instance == null) {
            String env = System.getenv("SELFSUP_NCCL_LIB");
            List<String> names = env != null && !env.isBlank() ? List.of(env) : List.of("libnccl.so.2", "nccl");
            Lib lib = loadFirst(names, Lib.class, "NCCL",
                    "install NCCL (pip's nvidia-nccl-cu12/-cu13 comes with torch: add site-packages/nvidia/nccl/lib "
                            + "to LD_LIBRARY_PATH; ./selfsup does) or set SELFSUP_NCCL_LIB");
            CudaRt rt = loadFirst(CudaRuntime.NAMES, CudaRt.class, "the CUDA runtime", CudaRuntime.HINT);
            instance = new Nccl(lib, rt);
        }
        return instance;
    }

    private static <T extends Library> T loadFirst(List<String> names, Class<T> type, String what, String hint) {
        List<String> errors = new ArrayList<>();
        for (String name : names) {
            try {
                return Native.load(name, type);
            } catch (UnsatisfiedLinkError e) {
                String m = e.getMessage() == null ? "not found" : e.getMessage().split("\n")[0];
                errors.add(name + ": " + m);
            }
        }
        throw new UserException("NCCL: cannot load " + what + " (" + String.join("; ", errors) + "); " + hint);
    }

    /** NCCL's version code (e.g. 22703 for 2.27.3). */
    public int version() {
        return version;
    }

    /** A new unique id (rank 0 makes it and sends it to the others). */
    public byte[] uniqueId() {
        byte[] id = new byte[UNIQUE_ID_BYTES];
        check(lib.ncclGetUniqueId(id), "ncclGetUniqueId");
        return id;
    }

    /** Makes {@code device} the calling thread's CUDA device. */
    void setDevice(int device) {
        int rc = cudart.cudaSetDevice(device);
        if (rc != 0) {
            throw new IllegalStateException("cudaSetDevice(" + device + ") failed with CUDA error " + rc);
        }
    }

    /**
     * Joins the communicator of {@code nranks} ranks identified by {@code id} on GPU {@code device}
     * (made the thread's current device first); blocks until all ranks joined.
     */
    public Comm join(int nranks, byte[] id, int rank, int device) {
        if (id.length != UNIQUE_ID_BYTES) {
            throw new IllegalArgumentException("NCCL unique id must be " + UNIQUE_ID_BYTES + " bytes");
        }
        setDevice(device);
        UniqueId uid = new UniqueId();
        System.arraycopy(id, 0, uid.internal, 0, UNIQUE_ID_BYTES);
        uid.write();
        PointerByReference comm = new PointerByReference();
        check(lib.ncclCommInitRank(comm, nranks, uid, rank), "ncclCommInitRank");
        return new Comm(comm.getValue(), device);
    }

    /** A communicator ({@code ncclComm_t}) of one GPU. */
    public final class Comm {
        private final Pointer comm;
        private final int device;
        private Pointer stream;

        private Comm(Pointer comm, int device) {
            this.comm = comm;
            this.device = device;
        }

        /**
         * In-place all-reduce of a contiguous float32/int64 array on this communicator's GPU, queued on
         * libtorch's current CUDA stream of that GPU (so it runs after the kernels that produced the
         * array and before the ones that read it, with no host synchronisation).
         *
         * @param max MAX instead of SUM
         */
        public void allReduce(NDArray a, boolean max) {
            if (!a.getDevice().isGpu() || a.getDevice().getDeviceId() != device) {
                throw new IllegalArgumentException("NCCL all-reduce needs an array on gpu(" + device + "), got "
                        + a.getDevice());
            }
            int type = switch (a.getDataType()) {
                case FLOAT32 -> FLOAT32;
                case INT64 -> INT64;
                default -> throw new IllegalArgumentException("NCCL all-reduce of " + a.getDataType() + " arrays");
            };
            checkAsync();
            LibTorch torch = LibTorch.get();
            Pointer data = new Pointer(torch.dataPtr(a));
            check(lib.ncclAllReduce(data, data, a.size(), type, max ? MAX : SUM, comm, stream(torch)),
                    "ncclAllReduce");
        }

        /**
         * libtorch's current stream of this GPU. Without the shim's stream lookup, the null stream: it is
         * libtorch's default current stream (CUDA's legacy default stream), and DJL never switches streams.
         */
        private Pointer stream(LibTorch torch) {
            if (stream == null) {
                java.util.OptionalLong s = torch.currentCudaStream(device);
                stream = s.isPresent() ? new Pointer(s.getAsLong()) : Pointer.NULL;
                if (s.isEmpty()) {
                    System.err.println("selfsup: libtorch " + torch.version() + " does not export "
                            + "aoti_torch_get_current_cuda_stream; NCCL runs on the default CUDA stream");
                }
            }
            return stream;
        }

        /** Throws if the communicator reported an asynchronous error (e.g. a peer's connection broke). */
        public void checkAsync() {
            IntByReference err = new IntByReference();
            check(lib.ncclCommGetAsyncError(comm, err), "ncclCommGetAsyncError");
            if (err.getValue() != 0 && err.getValue() != IN_PROGRESS) {
                check(err.getValue(), "NCCL communicator (asynchronous error)");
            }
        }

        /** Aborts the pending work (safe from another thread; used by the watchdog). */
        public void abort() {
            lib.ncclCommAbort(comm);
        }

        /** Destroys the communicator on a normal end. */
        public void destroy() {
            check(lib.ncclCommDestroy(comm), "ncclCommDestroy");
        }
    }

    private void check(int rc, String call) {
        if (rc != 0) {
            String text;
            try {
                text = lib.ncclGetErrorString(rc);
            } catch (RuntimeException | UnsatisfiedLinkError e) {
                text = "error " + rc;
            }
            throw new IllegalStateException(call + " failed: " + text + " (NCCL result " + rc + ")");
        }
    }
}
