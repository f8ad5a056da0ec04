package org.selfsup.natives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.selfsup.model.TorchThreads;

/** Version-tolerant look-ups of libtorch symbols, the JNI in use and JNA's search path. */
class NativeLookupTest {
    private static LibTorch torch;

    @BeforeAll
    static void load() {
        TorchThreads.single();
        torch = LibTorch.get();
    }

    @Test
    void everySymbolOfTheBundledCpuLibtorchIsFoundExceptTheGpuOnlyOne() {
        List<String> report = torch.symbolReport();
        assertEquals(LibTorch.symbolCount(), report.size());
        assertEquals(0, torch.missingSymbols(), String.join("\n", report));
        assertTrue(report.stream().anyMatch(l -> l.startsWith("current CUDA stream") && l.contains("GPU builds only")),
                String.join("\n", report));
        assertTrue(report.stream().anyMatch(l -> l.contains("found " + LibTorch.TF32_CUDNN_GETTER_OLD)));
    }

    @Test
    void theTf32CudnnGetterNamesBothForms() {
        NativeSymbol getter = LibTorch.SYMBOLS.stream().filter(s -> s.purpose().equals("TF32 cuDNN get"))
                .findFirst().orElseThrow();
        // the second form is the one PyTorch 2.9+ exports (read from a 2.10 libtorch_cpu.so with nm -D)
        assertEquals(List.of("_ZNK2at7Context14allowTF32CuDNNEv",
                "_ZNK2at7Context14allowTF32CuDNNESt8optionalINS_9Float32OpEE"), getter.names());
        boolean before = torch.allowTF32CuDNN();
        torch.setAllowTF32CuDNN(!before);
        assertEquals(!before, torch.allowTF32CuDNN());
        torch.setAllowTF32CuDNN(before);
        assertEquals(before, torch.allowTF32CuDNN());
    }

    @Test
    void theLoadedJniIsFoundAndMatchesTheBundledLibtorch() {
        LoadedJni jni = LoadedJni.find();
        assertTrue(jni.path().isPresent(), "the engine is running, so its JNI is mapped");
        assertEquals("2.7.1", jni.builtFor());
        assertTrue(jni.matches(torch.version()));
        assertFalse(jni.matches("2.11.0"));
    }

    @Test
    void theJniFolderNameGivesTheVersionItWasBuiltFor() {
        assertEquals("2.11.0", LoadedJni.builtFor(Path.of("/c/pytorch/2.11.0-cu130-linux-x86_64/0.35.0-libdjl_torch.so")));
        assertEquals("2.7.1", LoadedJni.builtFor(Path.of("/c/pytorch/2.7.1-cu128-precxx11-linux-x86_64/x.so")));
        assertEquals("its libtorch (in torch/lib)", LoadedJni.builtFor(Path.of("/s/torch/lib/libdjl_torch.so")));
        assertEquals("unknown", LoadedJni.builtFor(Path.of("/tmp/libdjl_torch.so")));
        assertTrue(new LoadedJni(java.util.Optional.empty(), "unknown").matches("2.11.0"), "unknown is trusted");
    }

    @Test
    void jnaSearchPathGetsTheLibraryPathFoldersOnce() {
        assertEquals("/a:/b:/c", NativeSearchPath.merge("/a:/b", "/b::/c"));
        assertEquals("/x", NativeSearchPath.merge(null, "/x"));
        assertEquals("", NativeSearchPath.merge(null, null));
    }

    @Test
    void cudaRuntimeNamesCoverPipCuda13And12() {
        assertTrue(CudaRuntime.NAMES.contains("libcudart.so.13"));
        assertTrue(CudaRuntime.NAMES.contains("libcudart.so.12"));
        assertEquals(-1, CudaRuntime.deviceMemoryUsed(), "no CUDA runtime on this machine");
    }
}
