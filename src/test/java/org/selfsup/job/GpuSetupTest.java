package org.selfsup.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfsup.model.TorchThreads;
import org.selfsup.natives.TorchInstall;

/**
 * The GPU set-up on fake {@code site-packages} trees written by the test (this machine has no CUDA
 * PyTorch): {@code selfsup doctor} and the {@code ./selfsup} launcher pick the same installation (2.7.1
 * with {@code libtorch_cuda}) and the same environment, and skip wrong versions and CPU builds.
 */
class GpuSetupTest {
    @TempDir
    Path dir;

    private Path site(String name, String version, boolean cudaLib, String... nvidiaParts) throws Exception {
        Path site = dir.resolve(name).resolve("lib/python3.11/site-packages");
        Files.createDirectories(site.resolve("torch/lib"));
        Files.writeString(site.resolve("torch/version.py"), "from typing import Optional\n\n__all__ = ['__version__']\n"
                + "__version__ = '" + version + "'\ndebug = False\ncuda: Optional[str] = "
                + (cudaLib ? "'12.6'" : "None") + "\n");
        Files.createFile(site.resolve("torch/lib/libtorch_cpu.so"));
        if (cudaLib) {
            Files.createFile(site.resolve("torch/lib/libtorch_cuda.so"));
        }
        for (String part : nvidiaParts) {
            Files.createDirectories(site.resolve("nvidia").resolve(part).resolve("lib"));
        }
        return site;
    }

    @Test
    void doctorAndLauncherChooseTheSame271CudaInstallation() throws Exception {
        Path old = site("old", "1.13.1", false);
        Path cpu = site("cpu", "2.7.1+cpu", false);
        Path good = site("good", "2.7.1+cu126", true, "cuda_runtime", "cudnn");
        String sites = old + ":" + cpu + ":" + good;
        Map<String, String> env = new HashMap<>(Map.of("SELFSUP_TORCH_SITES", sites, "LD_LIBRARY_PATH", "/opt/keep"));

        Doctor doctor = new Doctor(env);
        assertEquals(3, doctor.installs().size());
        assertTrue(doctor.installs().get(0).problem(env).orElseThrow().contains("CPU build"));
        assertTrue(doctor.installs().get(1).problem(env).orElseThrow().contains("CPU build"));
        TorchInstall t = doctor.usable().orElseThrow();
        assertEquals(good, t.sitePackages());
        assertEquals("12.6", t.cuda().orElseThrow());
        String ld = good.resolve("nvidia/cuda_runtime/lib") + ":" + good.resolve("nvidia/cudnn/lib") + ":/opt/keep";
        assertEquals(List.of("export PYTORCH_LIBRARY_PATH=" + good.resolve("torch/lib"), "export PYTORCH_VERSION=2.7.1",
                "export PYTORCH_FLAVOR=cu128", "export LD_LIBRARY_PATH=" + ld), doctor.exports());

        Map<String, String> launcher = launcherEnv(env);
        assertEquals(good.resolve("torch/lib").toString(), launcher.get("PYTORCH_LIBRARY_PATH"));
        assertEquals("2.7.1", launcher.get("PYTORCH_VERSION"));
        assertEquals("cu128", launcher.get("PYTORCH_FLAVOR"));
        assertEquals(ld, launcher.get("LD_LIBRARY_PATH"));
    }

    @Test
    void aNewerCudaTorchIsUsedOnceAJniBuiltForItIsInDjlsCache() throws Exception {
        Path cu13 = site("cu13", "2.11.0+cu130", true, "cu13", "nccl");
        Path cache = dir.resolve("djl-cache");
        Map<String, String> env = new HashMap<>(Map.of("SELFSUP_TORCH_SITES", cu13.toString(),
                "DJL_CACHE_DIR", cache.toString(), "HOME", dir.toString()));
        Doctor before = new Doctor(env);
        assertTrue(before.usable().isEmpty());
        String why = before.installs().get(0).problem(env).orElseThrow();
        Path jni = cache.resolve("pytorch/2.11.0-cu130-linux-x86_64/0.35.0-libdjl_torch.so");
        assertTrue(why.contains("no JNI built for 2.11.0 is at " + jni), why);
        assertEquals("", launcherEnv(env).get("PYTORCH_LIBRARY_PATH"), "no JNI: the launcher sets nothing");

        Files.createDirectories(jni.getParent());
        Files.createFile(jni);
        Doctor after = new Doctor(env);
        TorchInstall t = after.usable().orElseThrow();
        assertEquals("cu130", t.flavor());
        assertEquals("2.11.0", t.baseVersion());
        String ld = cu13.resolve("nvidia/cu13/lib") + ":" + cu13.resolve("nvidia/nccl/lib");
        assertEquals(List.of("export PYTORCH_LIBRARY_PATH=" + cu13.resolve("torch/lib"),
                "export PYTORCH_VERSION=2.11.0", "export PYTORCH_FLAVOR=cu130", "export LD_LIBRARY_PATH=" + ld),
                after.exports());
        Map<String, String> launcher = launcherEnv(env);
        assertEquals(cu13.resolve("torch/lib").toString(), launcher.get("PYTORCH_LIBRARY_PATH"));
        assertEquals("2.11.0", launcher.get("PYTORCH_VERSION"));
        assertEquals("cu130", launcher.get("PYTORCH_FLAVOR"));
        assertEquals(ld, launcher.get("LD_LIBRARY_PATH"));
    }

    @Test
    void aJniInTorchLibAndACondaCudaRuntimeAreFound() throws Exception {
        Path conda = dir.resolve("conda");
        Path site = conda.resolve("lib/python3.11/site-packages");
        Files.createDirectories(site.resolve("torch/lib"));
        Files.writeString(site.resolve("torch/version.py"), "__version__ = '2.10.0'\ncuda = '12.6'\n");
        Files.createFile(site.resolve("torch/lib/libtorch_cuda.so"));
        Files.createFile(site.resolve("torch/lib/libdjl_torch.so"));
        Files.createFile(conda.resolve("lib/libcudart.so.12"));
        Map<String, String> env = new HashMap<>(Map.of("SELFSUP_TORCH_SITES", site.toString(), "HOME", dir.toString()));
        TorchInstall t = new Doctor(env).usable().orElseThrow();
        assertEquals("cu126", t.flavor());
        assertEquals(List.of(conda.resolve("lib")), t.cudaLibDirs());
        assertTrue(t.jniDescription(env).contains(site.resolve("torch/lib/libdjl_torch.so").toString()));
        Map<String, String> launcher = launcherEnv(env);
        assertEquals("2.10.0", launcher.get("PYTORCH_VERSION"));
        assertEquals("cu126", launcher.get("PYTORCH_FLAVOR"));
        assertEquals(conda.resolve("lib").toString(), launcher.get("LD_LIBRARY_PATH"));
    }

    @Test
    void theVirtualenvOfThePython3OnPathIsSearchedWithoutActivation() throws Exception {
        Path venv = dir.resolve("venv");
        Path site = site("venv", "2.7.1+cu128", true, "cuda_runtime");
        Files.createDirectories(venv.resolve("bin"));
        Path py = Files.writeString(venv.resolve("bin/python3"), "#!/bin/sh\nexit 1\n");
        py.toFile().setExecutable(true);
        Map<String, String> env = new HashMap<>(Map.of("PATH", venv.resolve("bin") + ":/usr/bin:/bin",
                "HOME", dir.toString()));
        assertEquals(site, new Doctor(env).usable().orElseThrow().sitePackages());
        assertEquals(site.resolve("torch/lib").toString(), launcherEnv(env).get("PYTORCH_LIBRARY_PATH"));
    }

    @Test
    void nothingIsSetWithoutAUsableInstallationOrWhenTheUserChose() throws Exception {
        Path cpu = site("cpu", "2.7.1", false);
        Map<String, String> env = new HashMap<>(Map.of("SELFSUP_TORCH_SITES", cpu.toString()));
        assertTrue(new Doctor(env).usable().isEmpty());
        assertEquals("", launcherEnv(env).get("PYTORCH_LIBRARY_PATH"));
        assertEquals("", launcherEnv(env).get("PYTORCH_VERSION"), "no PYTORCH_VERSION on the CPU path");

        Path good = site("good", "2.7.1", true, "cuda_runtime");
        env.put("SELFSUP_TORCH_SITES", good.toString());
        env.put("SELFSUP_TORCH", "off");
        assertEquals("", launcherEnv(env).get("PYTORCH_LIBRARY_PATH"), "SELFSUP_TORCH=off");
        env.remove("SELFSUP_TORCH");
        env.put("PYTORCH_LIBRARY_PATH", "/my/libtorch");
        assertEquals("/my/libtorch", launcherEnv(env).get("PYTORCH_LIBRARY_PATH"), "the user's own setting wins");
    }

    @Test
    void doctorReportsEngineFeaturesAndWhatToInstall() throws Exception {
        TorchThreads.single();
        Path old = site("old", "1.13.1", false);
        List<String> report = new Doctor(Map.of("SELFSUP_TORCH_SITES", old.toString())).report();
        String text = String.join("\n", report);
        assertTrue(text.contains("libtorch         2.7.1 in "), text);
        assertTrue(text.contains("(CPU build)"), text);
        assertTrue(text.matches("(?s).*bf16 +yes: autocast on the CPU.*"), text);
        assertTrue(text.matches("(?s).*fp16 +yes: autocast on the CPU.*"), text);
        assertTrue(text.matches("(?s).*channels-last +yes.*"), text);
        assertTrue(text.matches("(?s).*tf32 +no effect here \\(GPU only\\).*"), text);
        assertTrue(text.contains("no GPU: the loaded libtorch 2.7.1"), text);
        assertTrue(text.contains("torch 1.13.1 — not usable: a CPU build"), text);
        assertTrue(text.contains("JNI              "), text);
        assertTrue(text.contains("matches libtorch 2.7.1"), text);
        assertTrue(text.matches("(?s).*native symbols +\\d+ of " + org.selfsup.natives.LibTorch.symbolCount()
                + " found\n.*"), text);
        assertFalse(text.contains("MISSING"), text);
        assertTrue(text.contains(Doctor.PIP_INSTALL), text);
        assertFalse(text.contains("export PYTORCH"), text);
    }

    /** The PyTorch environment the launcher chooses ({@code SELFSUP_PRINT_ENV=1}: nothing is built or run). */
    private static Map<String, String> launcherEnv(Map<String, String> env) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", Path.of("selfsup").toAbsolutePath().toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        for (String k : List.of("PYTORCH_LIBRARY_PATH", "PYTORCH_VERSION", "PYTORCH_FLAVOR", "LD_LIBRARY_PATH",
                "SELFSUP_TORCH", "VIRTUAL_ENV", "CONDA_PREFIX", "DJL_CACHE_DIR", "ENGINE_CACHE_DIR")) {
            pb.environment().remove(k);
        }
        pb.environment().put("SELFSUP_PRINT_ENV", "1");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        Map<String, String> vars = new HashMap<>();
        for (String line : out.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                vars.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return vars;
    }
}
