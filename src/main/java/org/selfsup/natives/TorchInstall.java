package org.selfsup.natives;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A PyTorch installation found on disk (a pip or conda {@code site-packages/torch}), read without running
 * Python: its version from {@code torch/version.py}, its libraries in {@code torch/lib}, and the CUDA
 * runtime libraries installed beside it (pip: {@code site-packages/nvidia/<part>/lib}, which is
 * {@code nvidia/cu13/lib} for CUDA 13 wheels and {@code nvidia/cuda_runtime/lib} etc. for CUDA 12 ones;
 * conda: the environment's {@code lib}).
 *
 * <p>DJL needs a JNI built for the exact libtorch version (one for another version loads, then fails on the
 * first tensor). DJL 0.35 bundles one for {@value #REQUIRED} only; for any other version a JNI built from
 * DJL's sources must be where DJL looks for it ({@link #jniCandidates}). So a CUDA installation serves as
 * the GPU libtorch when it is {@value #REQUIRED} or such a JNI exists. The {@code ./selfsup} launcher
 * applies the same rules in shell (see {@link #LAUNCHER_RULES}).
 *
 * @param sitePackages the {@code site-packages} (or {@code dist-packages}) directory
 * @param version      {@code torch.__version__}, e.g. {@code 2.7.1+cu128}, or "unknown"
 * @param cuda         {@code torch.version.cuda}, e.g. {@code 12.8}, or empty for a CPU build
 * @param cudaLibDirs  the folders holding its CUDA libraries ({@code nvidia/<part>/lib}, conda's {@code lib})
 */
public record TorchInstall(Path sitePackages, String version, Optional<String> cuda, List<Path> cudaLibDirs) {
    /** The libtorch version whose JNI DJL 0.35 bundles. */
    public static final String REQUIRED = "2.7.1";

    /** The DJL version, which names the JNI file ({@code 0.35.0-libdjl_torch.so}). */
    public static final String DJL_VERSION = "0.35.0";

    /** What the launcher checks, for its comments and the README. */
    public static final String LAUNCHER_RULES = "torch/lib holds libtorch_cuda.so, and torch/version.py says "
            + REQUIRED + " (DJL's bundled JNI) or a DJL " + DJL_VERSION + " JNI for its version exists (in torch/lib "
            + "or DJL's cache, e.g. ~/.djl.ai/pytorch/2.11.0-cu130-linux-x86_64/" + DJL_VERSION + "-libdjl_torch.so)";

    private static final Pattern VERSION = Pattern.compile("(?m)^__version__\\s*=\\s*['\"]([^'\"]+)['\"]");
    private static final Pattern CUDA = Pattern.compile("(?m)^cuda\\s*(?::\\s*[^=]+)?=\\s*['\"]([^'\"]+)['\"]");

    /** {@code site-packages/torch/lib}: the libtorch to point {@code PYTORCH_LIBRARY_PATH} at. */
    public Path libDir() {
        return sitePackages.resolve("torch").resolve("lib");
    }

    /** Whether {@code torch/lib} holds the CUDA library. */
    public boolean hasCudaLibrary() {
        return Files.isRegularFile(libDir().resolve(System.mapLibraryName("torch_cuda")));
    }

    /** The version without its local suffix: {@code 2.11.0} for {@code 2.11.0+cu130}. */
    public String baseVersion() {
        int plus = version.indexOf('+');
        return plus < 0 ? version : version.substring(0, plus);
    }

    /** Whether the version is {@value #REQUIRED} (with or without a local suffix such as {@code +cu128}). */
    public boolean isRequiredVersion() {
        return baseVersion().equals(REQUIRED);
    }

    /**
     * The DJL flavour to ask for: {@code cu128} for {@value #REQUIRED} (the only flavour of the bundled CUDA
     * JNI), else the build's own ({@code cu130} from {@code +cu130} or from CUDA {@code 13.0}).
     */
    public String flavor() {
        if (isRequiredVersion()) {
            return "cu128";
        }
        int plus = version.indexOf('+');
        if (plus >= 0 && version.startsWith("cu", plus + 1)) {
            return version.substring(plus + 1);
        }
        return cuda.map(c -> "cu" + c.replace(".", "")).orElse("cpu");
    }

    /**
     * Where DJL looks for a JNI of this version, in its order: {@code torch/lib} itself, then its engine cache
     * ({@code ENGINE_CACHE_DIR}, else {@code DJL_CACHE_DIR}, else {@code ~/.djl.ai}) under
     * {@code pytorch/<version>-<flavor>-linux-x86_64/}.
     */
    public List<Path> jniCandidates(Map<String, String> env) {
        String jni = System.mapLibraryName("djl_torch");
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        String engine = env.get("ENGINE_CACHE_DIR");
        String djl = env.get("DJL_CACHE_DIR");
        Path cache = engine != null && !engine.isBlank() ? Path.of(engine)
                : djl != null && !djl.isBlank() ? Path.of(djl) : Path.of(home, ".djl.ai");
        return List.of(libDir().resolve(DJL_VERSION + "-" + jni), libDir().resolve(jni),
                cache.resolve("pytorch").resolve(baseVersion() + "-" + flavor() + "-linux-x86_64")
                        .resolve(DJL_VERSION + "-" + jni));
    }

    /** The JNI DJL will load for this installation: a built one found on disk, else empty. */
    public Optional<Path> builtJni(Map<String, String> env) {
        return jniCandidates(env).stream().filter(Files::isRegularFile).findFirst();
    }

    /** Whether DJL can train on a GPU with this installation. */
    public boolean usableForGpu(Map<String, String> env) {
        return problem(env).isEmpty();
    }

    /** Why it cannot serve as the GPU libtorch, or empty when it can. */
    public Optional<String> problem(Map<String, String> env) {
        if (!hasCudaLibrary()) {
            return Optional.of("a CPU build (no " + System.mapLibraryName("torch_cuda") + " in " + libDir() + ")");
        }
        if (!isRequiredVersion() && builtJni(env).isEmpty()) {
            return Optional.of("version " + version + ": DJL " + DJL_VERSION + " bundles a JNI for " + REQUIRED
                    + " only, and no JNI built for " + baseVersion() + " is at " + jniCandidates(env).get(2)
                    + " (or in torch/lib)");
        }
        return Optional.empty();
    }

    /** Which JNI DJL will use with it, in words. */
    public String jniDescription(Map<String, String> env) {
        return builtJni(env).map(p -> "JNI built for " + baseVersion() + " at " + p)
                .orElse(isRequiredVersion() ? "DJL's bundled JNI for " + REQUIRED : "no JNI");
    }

    /** The environment that makes DJL load this libtorch and its JNI. */
    public Map<String, String> environment(String currentLdLibraryPath) {
        StringBuilder ld = new StringBuilder();
        for (Path p : cudaLibDirs) {
            ld.append(ld.length() == 0 ? "" : ":").append(p);
        }
        if (currentLdLibraryPath != null && !currentLdLibraryPath.isEmpty()) {
            ld.append(ld.length() == 0 ? "" : ":").append(currentLdLibraryPath);
        }
        return Map.of("PYTORCH_LIBRARY_PATH", libDir().toString(), "PYTORCH_VERSION", baseVersion(),
                "PYTORCH_FLAVOR", flavor(), "LD_LIBRARY_PATH", ld.toString());
    }

    /** Reads the installation in {@code sitePackages}, if it holds {@code torch/version.py}. */
    public static Optional<TorchInstall> read(Path sitePackages) {
        Path versionFile = sitePackages.resolve("torch").resolve("version.py");
        if (!Files.isRegularFile(versionFile)) {
            return Optional.empty();
        }
        String text;
        try {
            text = Files.readString(versionFile);
        } catch (IOException e) {
            return Optional.empty();
        }
        Matcher v = VERSION.matcher(text);
        Matcher c = CUDA.matcher(text);
        Optional<String> cuda = c.find() && !c.group(1).equals("None") ? Optional.of(c.group(1)) : Optional.empty();
        return Optional.of(new TorchInstall(sitePackages, v.find() ? v.group(1) : "unknown", cuda,
                cudaLibDirs(sitePackages)));
    }

    private static List<Path> cudaLibDirs(Path sitePackages) {
        List<Path> dirs = new ArrayList<>();
        Path nvidia = sitePackages.resolve("nvidia");
        if (Files.isDirectory(nvidia)) {
            try (DirectoryStream<Path> parts = Files.newDirectoryStream(nvidia)) {
                for (Path part : parts) {
                    if (Files.isDirectory(part.resolve("lib"))) {
                        dirs.add(part.resolve("lib"));
                    }
                }
            } catch (IOException e) {
                return dirs;
            }
        }
        dirs.sort(null);
        // conda: site-packages is <env>/lib/python3.X/site-packages and the CUDA runtime sits in <env>/lib
        Path envLib = sitePackages.getParent() == null ? null : sitePackages.getParent().getParent();
        if (envLib != null && envLib.getFileName() != null && envLib.getFileName().toString().equals("lib")
                && holdsCudaRuntime(envLib)) {
            dirs.add(envLib);
        }
        return dirs;
    }

    /**
     * The {@code site-packages} directories to look in, in order: {@code SELFSUP_TORCH_SITES} (colon-
     * separated; replaces the rest), else the active virtualenv and conda environment, the environment of
     * the {@code python3} on {@code PATH} (a virtualenv that is not activated), the user's
     * {@code ~/.local}, pyenv versions, and the system's {@code /usr/local/lib} and {@code /usr/lib}.
     */
    public static List<Path> candidateSites(Map<String, String> env) {
        Set<Path> sites = new LinkedHashSet<>();
        String explicit = env.get("SELFSUP_TORCH_SITES");
        if (explicit != null && !explicit.isBlank()) {
            for (String s : explicit.split(":")) {
                if (!s.isBlank()) {
                    sites.add(Path.of(s));
                }
            }
            return new ArrayList<>(sites);
        }
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        List<Path> prefixes = new ArrayList<>();
        for (String var : List.of("VIRTUAL_ENV", "CONDA_PREFIX")) {
            if (env.get(var) != null && !env.get(var).isBlank()) {
                prefixes.add(Path.of(env.get(var)));
            }
        }
        pythonOnPath(env.get("PATH")).ifPresent(prefixes::add);
        prefixes.add(Path.of(home, ".local"));
        prefixes.addAll(children(Path.of(home, ".pyenv", "versions")));
        prefixes.add(Path.of("/usr/local"));
        prefixes.add(Path.of("/usr"));
        for (Path prefix : prefixes) {
            for (Path lib : children(prefix.resolve("lib"))) {
                String n = lib.getFileName().toString();
                if (n.startsWith("python3")) {
                    sites.add(lib.resolve("site-packages"));
                    sites.add(lib.resolve("dist-packages"));
                }
            }
        }
        sites.add(Path.of("/usr/lib/python3/dist-packages"));
        return new ArrayList<>(sites);
    }

    /** Every installation found in {@link #candidateSites}. */
    public static List<TorchInstall> find(Map<String, String> env) {
        List<TorchInstall> found = new ArrayList<>();
        for (Path site : candidateSites(env)) {
            read(site).ifPresent(found::add);
        }
        return found;
    }

    /** The prefix ({@code bin/..}) of the first {@code python3} on {@code path}, as the launcher finds it. */
    private static Optional<Path> pythonOnPath(String path) {
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(":")) {
            Path py = Path.of(dir.isEmpty() ? "." : dir, "python3");
            if (Files.isExecutable(py) && !Files.isDirectory(py)) {
                Path prefix = py.toAbsolutePath().getParent().getParent();
                return Optional.ofNullable(prefix);
            }
        }
        return Optional.empty();
    }

    private static boolean holdsCudaRuntime(Path dir) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "libcudart.so*")) {
            return files.iterator().hasNext();
        } catch (IOException e) {
            return false;
        }
    }

    private static List<Path> children(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
