package org.selfsup.model;

import com.sun.jna.NativeLibrary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The level of libtorch's own C++ log (c10's {@code TORCH_WARN} and {@code LOG(...)} lines on standard
 * error), as PyTorch's {@code TORCH_CPP_LOG_LEVEL} sets it: {@code INFO} (0), {@code WARNING} (1),
 * {@code ERROR} (2, selfsup's default) or {@code FATAL} (3). libtorch reads that variable only in
 * {@code c10::initLogging()}, which Python's {@code import torch} calls and DJL does not, so exporting it
 * alone changes nothing here; selfsup sets c10's {@code FLAGS_caffe2_log_level} from it (default ERROR)
 * before building its first model. At ERROR, every C++ warning of libtorch is silenced — DJL's prebuilt JNI
 * makes every command that builds a model print a paragraph saying {@code AutoNonVariableTypeMode is
 * deprecated}, which says nothing about the user's run; libtorch's errors still reach selfsup as exceptions.
 * {@code TORCH_CPP_LOG_LEVEL=WARNING} shows the warnings again.
 */
final class TorchLogLevel {
    private static final Logger LOG = LoggerFactory.getLogger(TorchLogLevel.class);
    /** Environment variable, PyTorch's own name. */
    static final String ENV = "TORCH_CPP_LOG_LEVEL";
    private static volatile boolean applied;

    private TorchLogLevel() {}

    /** Sets the level once the engine's libc10 is loaded (idempotent; anything going wrong leaves it as is). */
    static void apply() {
        if (applied) {
            return;
        }
        synchronized (TorchLogLevel.class) {
            if (applied) {
                return;
            }
            applied = true;
            int level = level(System.getenv(ENV));
            try {
                Path c10 = loadedC10();
                if (c10 == null) {
                    return;
                }
                NativeLibrary.getInstance(c10.toString()).getGlobalVariableAddress("FLAGS_caffe2_log_level")
                        .setInt(0, level);
            } catch (Throwable e) { // a libtorch without the flag: its default level stays
                LOG.debug("cannot set libtorch's log level: {}", e.toString());
            }
        }
    }

    /** The level {@code value} names (PyTorch's spellings), ERROR when unset or unknown. */
    static int level(String value) {
        if (value == null) {
            return 2;
        }
        return switch (value.strip().toUpperCase(Locale.ROOT)) {
            case "0", "INFO" -> 0;
            case "1", "WARNING" -> 1;
            case "3", "FATAL" -> 3;
            default -> 2;
        };
    }

    /** The libc10.so this process has loaded (DJL loads libtorch's libraries by path), or null. */
    private static Path loadedC10() throws IOException {
        Path maps = Path.of("/proc/self/maps");
        if (!Files.isReadable(maps)) {
            return null;
        }
        for (String line : Files.readAllLines(maps)) {
            int slash = line.indexOf('/');
            if (slash >= 0 && line.endsWith("/libc10.so")) {
                return Path.of(line.substring(slash));
            }
        }
        return null;
    }
}
