package org.selfsup.natives;

import java.util.List;

/**
 * A function selfsup looks up in a native library: what it does, which feature needs it, and the exported
 * names it may have (PyTorch versions mangle some differently; the first one exported is used).
 *
 * @param purpose   short description, e.g. "TF32 cuDNN get"
 * @param neededFor the feature that needs it, for messages
 * @param names     accepted exported names, oldest form first
 */
record NativeSymbol(String purpose, String neededFor, List<String> names) {
    /** Prefix of {@code neededFor} for a function only CUDA builds export. */
    static final String GPU_ONLY = "(GPU builds only) ";

    /** Whether only CUDA builds export it. */
    boolean gpuOnly() {
        return neededFor.startsWith(GPU_ONLY);
    }

    NativeSymbol(String purpose, String neededFor, String... names) {
        this(purpose, neededFor, List.of(names));
    }
}
