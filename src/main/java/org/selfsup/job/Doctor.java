package org.selfsup.job;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.selfsup.natives.AutocastScope;
import org.selfsup.natives.LibTorch;
import org.selfsup.natives.LoadedJni;
import org.selfsup.natives.ScalarType;
import org.selfsup.natives.TorchInstall;

/**
 * What {@code selfsup doctor} reports: the engine and the libtorch it loaded, the devices, which of bf16,
 * fp16, channels-last, TF32 and cuDNN benchmarking work here (each tried on a tiny convolution, not
 * assumed), and the GPU set-up: the PyTorch installations on disk and the exact environment (or install
 * command) that makes DJL train on a GPU.
 */
public final class Doctor {
    /** The pip command that installs a libtorch whose JNI DJL 0.35 bundles. */
    public static final String PIP_INSTALL = "python3 -m pip install torch==" + TorchInstall.REQUIRED
            + " --index-url https://download.pytorch.org/whl/cu128";

    private final Map<String, String> env;
    private final List<TorchInstall> installs;
    private boolean engineFailed;

    /** @param env the environment to read (System.getenv() in the CLI) */
    public Doctor(Map<String, String> env) {
        this.env = env;
        this.installs = TorchInstall.find(env);
    }

    /** The installations found on disk. */
    public List<TorchInstall> installs() {
        return installs;
    }

    /** The first installation DJL can use on a GPU. */
    public Optional<TorchInstall> usable() {
        return installs.stream().filter(t -> t.usableForGpu(env)).findFirst();
    }

    /** {@code export K=V} lines for {@link #usable()}, or empty. */
    public List<String> exports() {
        List<String> lines = new ArrayList<>();
        usable().ifPresent(t -> {
            Map<String, String> e = t.environment(env.get("LD_LIBRARY_PATH"));
            for (String k : List.of("PYTORCH_LIBRARY_PATH", "PYTORCH_VERSION", "PYTORCH_FLAVOR", "LD_LIBRARY_PATH")) {
                lines.add("export " + k + "=" + shellQuote(e.get(k)));
            }
        });
        return lines;
    }

    /** The full report. */
    public List<String> report() {
        List<String> out = new ArrayList<>();
        try {
            engineReport(out);
        } catch (RuntimeException | LinkageError e) {
            // e.g. the -gpu distribution with no libtorch found: the set-up advice below is what helps
            engineFailed = true;
            out.add(row("engine", "cannot start: " + e.getMessage()));
        }
        out.add("");
        installationsReport(out);
        return out;
    }

    /** Whether the last {@link #report()} found that the engine cannot start. */
    public boolean engineFailed() {
        return engineFailed;
    }

    private void engineReport(List<String> out) {
        LibTorch torch = LibTorch.get();
        Engine engine = Engine.getEngine("PyTorch");
        int gpus = engine.getGpuCount();
        out.add(row("engine", engine.getEngineName() + " " + engine.getVersion() + " (DJL "
                + Engine.getDjlVersion() + ")"));
        out.add(row("libtorch", torch.version() + " in " + torch.directory() + " ("
                + (torch.isCudaBuild() ? "CUDA build" : "CPU build") + ")"));
        String override = env.get("PYTORCH_LIBRARY_PATH");
        if (override != null) {
            out.add(row("", "PYTORCH_LIBRARY_PATH=" + override + " PYTORCH_VERSION=" + env.get("PYTORCH_VERSION")
                    + " PYTORCH_FLAVOR=" + env.get("PYTORCH_FLAVOR")));
        }
        LoadedJni jni = LoadedJni.find();
        out.add(row("JNI", jni.describe()));
        out.add(row("", jni.matches(torch.version())
                ? "matches libtorch " + torch.version()
                : "MISMATCH: built for " + jni.builtFor() + ", libtorch is " + torch.version()
                        + " (expect a crash at the first tensor made from Java data)"));
        int missing = torch.missingSymbols();
        out.add(row("native symbols", torch.foundSymbols() + " of " + LibTorch.symbolCount() + " found"
                + (missing == 0 ? "" : " (" + missing + " missing: see below)")));
        out.add(row("devices", "cpu (" + Runtime.getRuntime().availableProcessors() + " cores)"
                + (gpus > 0 ? ", " + gpus + " GPU" + (gpus == 1 ? "" : "s") + " (gpu:0" + (gpus > 1 ? " to gpu:" + (gpus - 1) : "") + ")"
                : "; no GPU: " + torch.whyNoGpu())));
        Device dev = gpus > 0 ? Device.gpu() : Device.cpu();
        String where = dev.isGpu() ? "on gpu:0" : "on the CPU";
        String cpuBf16 = cpuHasBf16() ? "this CPU has bf16 instructions (avx512_bf16/amx_bf16)"
                : "this CPU lacks avx512_bf16/amx_bf16: expect bf16 to be slower than fp32 here";
        out.add(row("bf16", probe(torch, dev, ScalarType.BFLOAT16) + " " + where
                + (dev.isGpu() ? "" : " (" + cpuBf16 + ")")));
        out.add(row("fp16", probe(torch, dev, ScalarType.FLOAT16) + " " + where + " with dynamic loss scaling"
                + (dev.isGpu() ? "" : " (on CPUs float16 kernels are much slower than bf16: use bf16 here)")));
        out.add(row("channels-last", probeChannelsLast(torch, dev)));
        out.add(row("tf32", dev.isGpu() ? "switch available (takes effect on Ampere or newer GPUs)"
                : "no effect here (GPU only)"));
        out.add(row("cudnn-benchmark", dev.isGpu() ? "switch available" : "no effect here (GPU only)"));
        out.add(row("cuda stream", torch.hasCudaStream() ? "aoti_torch_get_current_cuda_stream present"
                : "aoti_torch_get_current_cuda_stream absent (CPU build)"));
        out.add(row("image decoding", imageDecoding()));
        out.add("");
        out.add("libtorch symbols used through JNA (a purpose with two names accepts either version's form):");
        torch.symbolReport().forEach(l -> out.add("  " + l));
    }

    private void installationsReport(List<String> out) {
        String override = env.get("PYTORCH_LIBRARY_PATH");
        out.add("PyTorch installations (for the GPU set-up; rule: " + TorchInstall.LAUNCHER_RULES + "):");
        if (installs.isEmpty()) {
            out.add("  none found (looked in the virtualenv/conda environment, the python3 on PATH, ~/.local, ~/.pyenv, "
                    + "/usr/local, /usr;"
                    + " SELFSUP_TORCH_SITES=dir1:dir2 names site-packages directories instead)");
        }
        for (TorchInstall t : installs) {
            out.add("  " + t.sitePackages() + ": torch " + t.version() + t.cuda().map(c -> " (CUDA " + c + ")").orElse("")
                    + " — " + t.problem(env).map(p -> "not usable: " + p).orElse("usable: " + t.jniDescription(env))
                    + (t.cudaLibDirs().isEmpty() ? "" : "; CUDA libraries in " + t.cudaLibDirs().size() + " folders"));
        }
        out.add("");
        Optional<TorchInstall> ok = usable();
        if (ok.isPresent()) {
            boolean active = ok.get().libDir().toString().equals(override);
            out.add("GPU set-up: " + (active ? "in use (this process runs on it)."
                    : "the selfsup launcher sets this itself on every start (SELFSUP_TORCH=off disables it); by hand:"));
            exports().forEach(l -> out.add("  " + l));
        } else {
            out.add("GPU set-up: no usable PyTorch with CUDA found (" + TorchInstall.LAUNCHER_RULES + "). On a "
                    + "machine with an NVIDIA GPU and driver:");
            out.add("  " + PIP_INSTALL);
            out.add("  selfsup doctor   # then finds it and sets PYTORCH_LIBRARY_PATH, PYTORCH_VERSION, "
                    + "PYTORCH_FLAVOR and LD_LIBRARY_PATH (nvidia/*/lib) itself");
        }
    }

    /** The decoders in use; a distribution without OpenCV's jar still reports instead of crashing. */
    private static String imageDecoding() {
        try {
            return org.selfsup.data.stream.ImageDecoder.describe();
        } catch (LinkageError e) {
            return "OpenCV's classes are missing (" + e.getMessage() + "): PNG and other non-JPEG files cannot be "
                    + "decoded";
        }
    }

    /** "yes" if a convolution under autocast returns {@code dtype} on {@code dev}, else "no: why". */
    static String probe(LibTorch torch, Device dev, ScalarType dtype) {
        int type = dev.isGpu() ? LibTorch.DEVICE_CUDA : LibTorch.DEVICE_CPU;
        try (NDManager m = NDManager.newBaseManager(dev)) {
            NDArray x = m.ones(new Shape(1, 3, 8, 8));
            NDArray w = m.ones(new Shape(4, 3, 3, 3));
            NDArray y;
            try (AutocastScope s = AutocastScope.open(torch, type, dtype)) {
                y = Conv2d.conv2d(x, w).singletonOrThrow();
            }
            ScalarType got = torch.dtype(y);
            return got == dtype ? "yes: autocast" : "no: autocast returned " + got;
        } catch (RuntimeException e) {
            return "no: " + e.getMessage();
        }
    }

    private static String probeChannelsLast(LibTorch torch, Device dev) {
        try (NDManager m = NDManager.newBaseManager(dev)) {
            NDArray w = m.ones(new Shape(4, 3, 3, 3));
            torch.toChannelsLast(w);
            Conv2d.conv2d(m.ones(new Shape(1, 3, 8, 8)), w).singletonOrThrow();
            return torch.isChannelsLast(w) ? "yes (weights re-laid out through the C shim)" : "no";
        } catch (RuntimeException e) {
            return "no: " + e.getMessage();
        }
    }

    /** Whether /proc/cpuinfo lists native bf16 instructions. */
    static boolean cpuHasBf16() {
        try {
            String info = Files.readString(Path.of("/proc/cpuinfo"));
            return info.contains("avx512_bf16") || info.contains("amx_bf16");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static String row(String key, String value) {
        return String.format(Locale.ROOT, "%-16s %s", key, value);
    }

    private static String shellQuote(String s) {
        return s.matches("[A-Za-z0-9_./:+=-]*") ? s : "'" + s.replace("'", "'\\''") + "'";
    }
}
