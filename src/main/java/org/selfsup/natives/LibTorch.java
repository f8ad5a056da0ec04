package org.selfsup.natives;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.LibUtils;
import com.sun.jna.Function;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.selfsup.util.UserException;

/**
 * The libtorch that DJL loaded, reached through JNA for what DJL does not wrap: the stable C shim
 * ({@code aoti_torch_*}: data pointer, dtype, current CUDA stream), autocast (per thread) and the global
 * context's cuDNN/TF32 switches.
 *
 * <p>The library is the one DJL's PyTorch engine loaded ({@link LibUtils#getLibtorchPath()}), opened
 * again by path so the same copy in memory is used. Each symbol is looked up once, on first use; a
 * missing one is a {@link UserException} naming the symbol and the libtorch version (exit 2), never a
 * crash. A DJL {@link PtNDArray} handle is the {@code at::Tensor*} the shim calls
 * {@code AtenTensorHandle}. C++ {@code bool} parameters are passed as bytes 0/1 (JNA's Java boolean is
 * not read as {@code true} by C++).
 */
public final class LibTorch {
    /** {@code c10::DeviceType::CPU}. */
    public static final int DEVICE_CPU = 0;
    /** {@code c10::DeviceType::CUDA}. */
    public static final int DEVICE_CUDA = 1;

    private static final String AUTOCAST = "autocast (--precision bf16/fp16)";
    private static final String CONTEXT = "the cuDNN/TF32 switches (--cudnn-benchmark, --tf32)";
    private static final String SHIM = "the stable C shim (tensor data pointers and dtypes)";

    /** {@code at::Context::allowTF32CuDNN() const}, up to PyTorch 2.8. */
    static final String TF32_CUDNN_GETTER_OLD = "_ZNK2at7Context14allowTF32CuDNNEv";
    /** {@code at::Context::allowTF32CuDNN(std::optional<at::Float32Op>) const}, from PyTorch 2.9. */
    static final String TF32_CUDNN_GETTER_NEW = "_ZNK2at7Context14allowTF32CuDNNESt8optionalINS_9Float32OpEE";

    /**
     * Every symbol selfsup looks up in libtorch, by purpose; a purpose with two names accepts either (the
     * first that the library exports is used). {@code selfsup doctor} lists which were found.
     */
    static final List<NativeSymbol> SYMBOLS = List.of(
            new NativeSymbol("tensor data pointer", SHIM, "aoti_torch_get_data_ptr"),
            new NativeSymbol("tensor dtype", SHIM, "aoti_torch_get_dtype"),
            new NativeSymbol("tensor strides", SHIM, "aoti_torch_get_strides"),
            new NativeSymbol("tensor device", SHIM, "aoti_torch_get_device_type"),
            new NativeSymbol("tensor device index", SHIM, "aoti_torch_get_device_index"),
            new NativeSymbol("empty strided tensor", SHIM, "aoti_torch_empty_strided"),
            new NativeSymbol("tensor copy", SHIM, "aoti_torch_copy_"),
            new NativeSymbol("tensor assign", SHIM, "aoti_torch_assign_tensors"),
            new NativeSymbol("tensor delete", SHIM, "aoti_torch_delete_tensor_object"),
            new NativeSymbol("grad mode get", SHIM, "aoti_torch_grad_mode_is_enabled"),
            new NativeSymbol("grad mode set", SHIM, "aoti_torch_grad_mode_set_enabled"),
            new NativeSymbol("current CUDA stream", NativeSymbol.GPU_ONLY + "the CUDA stream",
                    "aoti_torch_get_current_cuda_stream"),
            new NativeSymbol("autocast enabled get", AUTOCAST, "_ZN2at8autocast19is_autocast_enabledEN3c1010DeviceTypeE"),
            new NativeSymbol("autocast enabled set", AUTOCAST, "_ZN2at8autocast20set_autocast_enabledEN3c1010DeviceTypeEb"),
            new NativeSymbol("autocast dtype get", AUTOCAST, "_ZN2at8autocast18get_autocast_dtypeEN3c1010DeviceTypeE"),
            new NativeSymbol("autocast dtype set", AUTOCAST,
                    "_ZN2at8autocast18set_autocast_dtypeEN3c1010DeviceTypeENS1_10ScalarTypeE"),
            new NativeSymbol("autocast nesting +", AUTOCAST, "_ZN2at8autocast17increment_nestingEv"),
            new NativeSymbol("autocast nesting -", AUTOCAST, "_ZN2at8autocast17decrement_nestingEv"),
            new NativeSymbol("autocast cache clear", AUTOCAST, "_ZN2at8autocast11clear_cacheEv"),
            new NativeSymbol("global context", CONTEXT, "_ZN2at13globalContextEv"),
            new NativeSymbol("cuDNN benchmark set", CONTEXT, "_ZN2at7Context17setBenchmarkCuDNNEb"),
            new NativeSymbol("cuDNN benchmark get", CONTEXT, "_ZNK2at7Context14benchmarkCuDNNEv"),
            new NativeSymbol("TF32 cuBLAS set", CONTEXT, "_ZN2at7Context18setAllowTF32CuBLASEb"),
            new NativeSymbol("TF32 cuBLAS get", CONTEXT, "_ZNK2at7Context15allowTF32CuBLASEv"),
            new NativeSymbol("TF32 cuDNN set", CONTEXT, "_ZN2at7Context17setAllowTF32CuDNNEb"),
            new NativeSymbol("TF32 cuDNN get", CONTEXT, TF32_CUDNN_GETTER_OLD, TF32_CUDNN_GETTER_NEW));

    private static volatile LibTorch instance;

    private final Path directory;
    private final String version;
    private final SymbolTable cpu;
    private final Optional<SymbolTable> cuda;

    LibTorch(Path directory, String version, SymbolTable cpu, Optional<SymbolTable> cuda) {
        this.directory = directory;
        this.version = version;
        this.cpu = cpu;
        this.cuda = cuda;
    }

    /**
     * The libtorch of DJL's PyTorch engine (starting the engine if it is not running yet).
     *
     * @throws UserException if the engine or its library cannot be found
     */
    public static LibTorch get() {
        LibTorch l = instance;
        if (l == null) {
            synchronized (LibTorch.class) {
                l = instance;
                if (l == null) {
                    Engine.getEngine("PyTorch"); // loads libtorch if nothing has yet
                    l = open(Path.of(LibUtils.getLibtorchPath()), LibUtils.getVersion());
                    instance = l;
                }
            }
        }
        return l;
    }

    /** Opens the libtorch in {@code directory} (package-private for tests). */
    static LibTorch open(Path directory, String version) {
        Path cpuFile = directory.resolve(System.mapLibraryName("torch_cpu"));
        if (!Files.isRegularFile(cpuFile)) {
            throw new UserException("libtorch " + version + ": no " + cpuFile.getFileName() + " in " + directory);
        }
        SymbolTable cpu = SymbolTable.open(cpuFile.toString(), describe(cpuFile, version));
        Path cudaFile = directory.resolve(System.mapLibraryName("torch_cuda"));
        Optional<SymbolTable> cuda = Optional.empty();
        if (Files.isRegularFile(cudaFile)) {
            try {
                cuda = Optional.of(SymbolTable.open(cudaFile.toString(), describe(cudaFile, version)));
            } catch (UserException e) {
                cuda = Optional.empty(); // a CUDA library that does not load means: no CUDA stream
            }
        }
        return new LibTorch(directory, version, cpu, cuda);
    }

    private static String describe(Path file, String version) {
        return file.getFileName() + " (libtorch " + version + ", " + file.getParent() + ")";
    }

    /** The directory holding the loaded libtorch. */
    public Path directory() {
        return directory;
    }

    /** The libtorch version DJL reports. */
    public String version() {
        return version;
    }

    /** Whether this libtorch is a CUDA build (its directory holds {@code libtorch_cuda}). */
    public boolean isCudaBuild() {
        return Files.isRegularFile(directory.resolve(System.mapLibraryName("torch_cuda")));
    }

    /** Why the engine sees no GPU, as the end of a sentence (for error messages). */
    public String whyNoGpu() {
        if (!isCudaBuild()) {
            return "the loaded libtorch " + version + " (" + directory + ") is a CPU build: a GPU needs a CUDA "
                    + "libtorch with a DJL JNI for it, e.g. pip's torch==" + TorchInstall.REQUIRED
                    + " (run 'selfsup doctor' for the set-up)";
        }
        return "libtorch " + version + " in " + directory + " has CUDA, yet the engine counts 0 GPUs: DJL looks "
                + "for libcudart on the library path (pip: site-packages/nvidia/cuda_runtime/lib on LD_LIBRARY_PATH) "
                + "and needs a working NVIDIA driver (run 'selfsup doctor')";
    }

    // ---------------------------------------------------------------- stable C shim

    /** Address of the first element of {@code array}'s data (device memory for a GPU array). */
    public long dataPtr(NDArray array) {
        PointerByReference ref = new PointerByReference();
        check("aoti_torch_get_data_ptr", cpu.require("aoti_torch_get_data_ptr", SHIM)
                .invokeInt(new Object[] {handle(array), ref}));
        return Pointer.nativeValue(ref.getValue());
    }

    /** The array's libtorch dtype (DJL reports bfloat16 as "unknown"; this does not). */
    public ScalarType dtype(NDArray array) {
        IntByReference ref = new IntByReference();
        check("aoti_torch_get_dtype", cpu.require("aoti_torch_get_dtype", SHIM)
                .invokeInt(new Object[] {handle(array), ref}));
        return ScalarType.of(ref.getValue());
    }

    /** The array's strides in elements (as libtorch lays it out; DJL does not expose them). */
    public long[] strides(NDArray array) {
        PointerByReference ref = new PointerByReference();
        check("aoti_torch_get_strides", cpu.require("aoti_torch_get_strides", SHIM)
                .invokeInt(new Object[] {handle(array), ref}));
        return ref.getValue().getLongArray(0, array.getShape().dimension());
    }

    /** Whether a 4-d array is laid out channels-last (NHWC strides over NCHW sizes). */
    public boolean isChannelsLast(NDArray array) {
        long[] sz = array.getShape().getShape();
        return sz.length == 4 && java.util.Arrays.equals(strides(array), channelsLastStrides(sz));
    }

    private static long[] channelsLastStrides(long[] sz) {
        return new long[] {sz[1] * sz[2] * sz[3], 1, sz[3] * sz[1], sz[1]};
    }

    /**
     * Re-lays a 4-d array out channels-last in place, keeping its values, dtype, device and DJL handle
     * (PyTorch's {@code module.to(memory_format=torch.channels_last)} for one weight): a channels-last copy
     * is made with gradients off and assigned into the handle's {@code at::Tensor}. A parameter must then
     * have its gradient re-attached by the caller ({@code setRequiresGradient(true)}).
     *
     * @throws IllegalArgumentException if the array is not 4-d
     */
    public void toChannelsLast(NDArray array) {
        long[] sz = array.getShape().getShape();
        if (sz.length != 4) {
            throw new IllegalArgumentException("channels-last needs a 4-d array, not " + array.getShape());
        }
        if (isChannelsLast(array)) {
            return;
        }
        Pointer h = handle(array);
        IntByReference dtype = new IntByReference();
        IntByReference devType = new IntByReference();
        IntByReference devIndex = new IntByReference();
        check("aoti_torch_get_dtype", cpu.require("aoti_torch_get_dtype", SHIM).invokeInt(new Object[] {h, dtype}));
        check("aoti_torch_get_device_type", cpu.require("aoti_torch_get_device_type", SHIM)
                .invokeInt(new Object[] {h, devType}));
        check("aoti_torch_get_device_index", cpu.require("aoti_torch_get_device_index", SHIM)
                .invokeInt(new Object[] {h, devIndex}));
        PointerByReference fresh = new PointerByReference();
        check("aoti_torch_empty_strided", cpu.require("aoti_torch_empty_strided", SHIM).invokeInt(new Object[] {
            4L, sz, channelsLastStrides(sz), dtype.getValue(), devType.getValue(), devIndex.getValue(), fresh}));
        Pointer copy = fresh.getValue();
        boolean grad = byteResult(cpu.require("aoti_torch_grad_mode_is_enabled", SHIM));
        Function setGrad = cpu.require("aoti_torch_grad_mode_set_enabled", SHIM);
        try {
            setGrad.invokeVoid(new Object[] {cBool(false)}); // a plain copy, not a recorded op
            check("aoti_torch_copy_", cpu.require("aoti_torch_copy_", SHIM).invokeInt(new Object[] {copy, h, 0}));
            check("aoti_torch_assign_tensors", cpu.require("aoti_torch_assign_tensors", SHIM)
                    .invokeInt(new Object[] {copy, h}));
        } finally {
            setGrad.invokeVoid(new Object[] {cBool(grad)});
            check("aoti_torch_delete_tensor_object", cpu.require("aoti_torch_delete_tensor_object", SHIM)
                    .invokeInt(new Object[] {copy}));
        }
    }

    /** Whether this libtorch exports {@code aoti_torch_get_current_cuda_stream} (CPU builds do not). */
    public boolean hasCudaStream() {
        return cudaStreamFunction().isPresent();
    }

    /**
     * The calling thread's current CUDA stream ({@code cudaStream_t}) on GPU {@code deviceIndex}, or empty
     * when this libtorch has no CUDA (the symbol is absent on CPU builds).
     */
    public OptionalLong currentCudaStream(int deviceIndex) {
        Optional<Function> f = cudaStreamFunction();
        if (f.isEmpty()) {
            return OptionalLong.empty();
        }
        PointerByReference ref = new PointerByReference();
        check("aoti_torch_get_current_cuda_stream", f.get().invokeInt(new Object[] {deviceIndex, ref}));
        return OptionalLong.of(Pointer.nativeValue(ref.getValue()));
    }

    private Optional<Function> cudaStreamFunction() {
        String name = "aoti_torch_get_current_cuda_stream";
        Optional<Function> f = cuda.flatMap(t -> t.optional(name));
        return f.isPresent() ? f : cpu.optional(name);
    }

    // ---------------------------------------------------------------- autocast (state is per thread)

    /** {@code at::autocast::is_autocast_enabled(device)} on the calling thread. */
    public boolean isAutocastEnabled(int deviceType) {
        return byteResult(cpu.require("_ZN2at8autocast19is_autocast_enabledEN3c1010DeviceTypeE", AUTOCAST),
                (byte) deviceType);
    }

    /** {@code at::autocast::set_autocast_enabled(device, on)} on the calling thread. */
    public void setAutocastEnabled(int deviceType, boolean on) {
        cpu.require("_ZN2at8autocast20set_autocast_enabledEN3c1010DeviceTypeEb", AUTOCAST)
                .invokeVoid(new Object[] {(byte) deviceType, cBool(on)});
    }

    /** {@code at::autocast::get_autocast_dtype(device)} on the calling thread. */
    public ScalarType autocastDtype(int deviceType) {
        Function f = cpu.require("_ZN2at8autocast18get_autocast_dtypeEN3c1010DeviceTypeE", AUTOCAST);
        return ScalarType.of(((Byte) f.invoke(Byte.class, new Object[] {(byte) deviceType})));
    }

    /** {@code at::autocast::set_autocast_dtype(device, dtype)} on the calling thread. */
    public void setAutocastDtype(int deviceType, ScalarType dtype) {
        cpu.require("_ZN2at8autocast18set_autocast_dtypeEN3c1010DeviceTypeENS1_10ScalarTypeE", AUTOCAST)
                .invokeVoid(new Object[] {(byte) deviceType, (byte) dtype.code()});
    }

    /** {@code at::autocast::increment_nesting()}: the new nesting depth. */
    public int incrementAutocastNesting() {
        return cpu.require("_ZN2at8autocast17increment_nestingEv", AUTOCAST).invokeInt(new Object[0]);
    }

    /** {@code at::autocast::decrement_nesting()}: the new nesting depth. */
    public int decrementAutocastNesting() {
        return cpu.require("_ZN2at8autocast17decrement_nestingEv", AUTOCAST).invokeInt(new Object[0]);
    }

    /**
     * {@code at::autocast::clear_cache()}: drops the low-precision copies of weights made while autocast
     * was on (PyTorch does this when the outermost autocast region exits; without it the copies would
     * outlive the optimiser step that changes the weights).
     */
    public void clearAutocastCache() {
        cpu.require("_ZN2at8autocast11clear_cacheEv", AUTOCAST).invokeVoid(new Object[0]);
    }

    // ---------------------------------------------------------------- at::globalContext() switches

    /** {@code at::globalContext().setBenchmarkCuDNN(on)}. */
    public void setBenchmarkCuDNN(boolean on) {
        contextCall("_ZN2at7Context17setBenchmarkCuDNNEb", on);
    }

    /** {@code at::globalContext().benchmarkCuDNN()}. */
    public boolean benchmarkCuDNN() {
        return contextGet("_ZNK2at7Context14benchmarkCuDNNEv");
    }

    /** {@code at::globalContext().setAllowTF32CuBLAS(on)} (also sets the float32 matmul precision). */
    public void setAllowTF32CuBLAS(boolean on) {
        contextCall("_ZN2at7Context18setAllowTF32CuBLASEb", on);
    }

    /** {@code at::globalContext().allowTF32CuBLAS()}. */
    public boolean allowTF32CuBLAS() {
        return contextGet("_ZNK2at7Context15allowTF32CuBLASEv");
    }

    /** {@code at::globalContext().setAllowTF32CuDNN(on)}. */
    public void setAllowTF32CuDNN(boolean on) {
        contextCall("_ZN2at7Context17setAllowTF32CuDNNEb", on);
    }

    /**
     * {@code at::globalContext().allowTF32CuDNN()}. PyTorch 2.9 gave the getter an argument
     * ({@code std::optional<at::Float32Op>}, which changed its symbol): the older form is tried first, else the
     * newer one is called with an empty optional (passed by value in one register: 0 is {@code nullopt}).
     */
    public boolean allowTF32CuDNN() {
        Optional<Function> old = cpu.optional(TF32_CUDNN_GETTER_OLD);
        if (old.isPresent()) {
            return byteResult(old.get(), context());
        }
        return byteResult(cpu.require(TF32_CUDNN_GETTER_NEW, CONTEXT), context(), 0L);
    }

    private Pointer context() {
        return cpu.require("_ZN2at13globalContextEv", CONTEXT).invokePointer(new Object[0]);
    }

    private void contextCall(String symbol, boolean on) {
        Function f = cpu.require(symbol, CONTEXT); // member function: the context is the first argument
        f.invokeVoid(new Object[] {context(), cBool(on)});
    }

    private boolean contextGet(String symbol) {
        return byteResult(cpu.require(symbol, CONTEXT), context());
    }

    // ---------------------------------------------------------------- helpers

    /**
     * One line per {@link #SYMBOLS} entry: its purpose and the name found, or "missing" and what it is
     * needed for (for {@code selfsup doctor}).
     */
    public List<String> symbolReport() {
        List<String> lines = new ArrayList<>();
        for (NativeSymbol s : SYMBOLS) {
            Optional<String> found = s.names().stream().filter(this::exports).findFirst();
            String absent = s.gpuOnly() && !isCudaBuild() ? "absent (GPU builds only)"
                    : "MISSING (needed for " + s.neededFor() + "; looked for " + String.join(" or ", s.names()) + ")";
            lines.add(String.format(java.util.Locale.ROOT, "%-22s %s", s.purpose(),
                    found.map(n -> "found " + n).orElse(absent)));
        }
        return lines;
    }

    /** How many purposes {@link #SYMBOLS} lists. */
    public static int symbolCount() {
        return SYMBOLS.size();
    }

    /** How many {@link #SYMBOLS} entries this library exports under one of their names. */
    public int foundSymbols() {
        return (int) SYMBOLS.stream().filter(s -> s.names().stream().anyMatch(this::exports)).count();
    }

    /** How many {@link #SYMBOLS} entries this library lacks (GPU-only ones are not missing from a CPU build). */
    public int missingSymbols() {
        return (int) SYMBOLS.stream().filter(s -> !(s.gpuOnly() && !isCudaBuild()))
                .filter(s -> s.names().stream().noneMatch(this::exports)).count();
    }

    /** Whether the library exports {@code symbol} (for {@code selfsup doctor}). */
    public boolean exports(String symbol) {
        return cpu.optional(symbol).isPresent() || cuda.flatMap(t -> t.optional(symbol)).isPresent();
    }

    /**
     * Looks {@code symbol} up as a required function (package-private: tests check the error a missing
     * symbol gives).
     */
    void require(String symbol, String what) {
        cpu.require(symbol, what);
    }

    private static Pointer handle(NDArray array) {
        if (!(array instanceof PtNDArray)) {
            throw new IllegalArgumentException("not a PyTorch engine array: " + array.getClass().getName());
        }
        return new Pointer(((PtNDArray) array).getHandle());
    }

    private static byte cBool(boolean b) {
        return (byte) (b ? 1 : 0);
    }

    private static boolean byteResult(Function f, Object... args) {
        // A C++ bool is returned in the low byte of the register: read only that byte.
        return ((Byte) f.invoke(Byte.class, args)) != 0;
    }

    private void check(String function, int code) {
        if (code != 0) {
            throw new IllegalStateException(function + " failed (error " + code + ") in " + cpu.describe()
                    + ": libtorch printed the reason on stderr");
        }
    }
}
