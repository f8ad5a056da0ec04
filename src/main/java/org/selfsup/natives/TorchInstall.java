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
 * runtime libraries pip installs beside it ({@code site-packages/nvidia/<part>/lib}).
 *
 * <p>DJL 0.35's JNI is built for libtorch 2.7.1 (a JNI for another version loads, then fails on the first
 * tensor), so only a 2.7.1 CUDA build can serve as the GPU libtorch. The {@code ./selfsup} launcher applies
 * the same rules in shell (see {@link #LAUNCHER_RULES}).
 *
 * @param sitePackages the {@code site-packages} (or {@code dist-packages}) directory
 * @param version      {@code torch.__version__}, e.g. {@code 2.7.1+cu128}, or "unknown"
 * @param cuda         {@code torch.version.cuda}, e.g. {@code 12.8}, or empty for a CPU build
 * @param cudaLibDirs  the {@code nvidia/<part>/lib} directories beside it
 */
public record TorchInstall(Path sitePackages, String version, Optional<String> cuda, List<Path> cudaLibDirs) {
    /** The libtorch version DJL 0.35's JNI needs. */
    public static final String REQUIRED = "2.7.1";

    /** What the launcher checks, for its comments and the README. */
    public static final String LAUNCHER_RULES = "torch/version.py says 2.7.1 (any +cuXXX suffix) and torch/lib "
            + "holds libtorch_cuda.so";

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

    /** Whether the version is 2.7.1 (with or without a local suffix such as {@code +cu128}). */
    public boolean isRequiredVersion() {
        return version.equals(REQUIRED) || version.startsWith(REQUIRED + "+");
    }

    /** Whether DJL can train on a GPU with this installation. */
    public boolean usableForGpu() {
        return isRequiredVersion() && hasCudaLibrary();
    }

    /** Why it cannot serve as the GPU libtorch, or empty when it can. */
    public Optional<String> problem() {
        if (!isRequiredVersion()) {
            return Optional.of("version " + version + ", but DJL 0.35's JNI needs " + REQUIRED);
        }
        if (!hasCudaLibrary()) {
            return Optional.of("a CPU build (no " + System.mapLibraryName("torch_cuda") + " in " + libDir() + ")");
        }
        return Optional.empty();
    }

    /** The environment that makes DJL load this libtorch with the bundled cu128 JNI. */
    public Map<String, String> environment(String currentLdLibraryPath) {
        StringBuilder ld = new StringBuilder();
        for (Path p : cudaLibDirs) {
            ld.append(ld.length() == 0 ? "" : ":").append(p);
        }
        if (currentLdLibraryPath != null && !currentLdLibraryPath.isEmpty()) {
            ld.append(ld.length() == 0 ? "" : ":").append(currentLdLibraryPath);
        }
        return Map.of("PYTORCH_LIBRARY_PATH", libDir().toString(), "PYTORCH_VERSION", REQUIRED,
                "PYTORCH_FLAVOR", "cu128", "LD_LIBRARY_PATH", ld.toString());
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
        return dirs;
    }

    /**
     * The {@code site-packages} directories to look in, in order: {@code SELFSUP_TORCH_SITES} (colon-
     * separated; replaces the rest), else the active virtualenv and conda environment, the user's
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
