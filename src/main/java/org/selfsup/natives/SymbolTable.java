package org.selfsup.natives;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.selfsup.util.UserException;

/**
 * The functions of one loaded native library, each looked up once (by its exported, possibly mangled,
 * name) and cached. A missing required symbol is a {@link UserException} naming the symbol, the library
 * file and its version; a missing optional symbol is an empty result, never a crash.
 */
final class SymbolTable {
    private final NativeLibrary library;
    private final String describe;
    private final ConcurrentHashMap<String, Optional<Function>> cache = new ConcurrentHashMap<>();

    /**
     * @param library  the opened library
     * @param describe how error messages name it, e.g. "libtorch_cpu.so 2.7.1 (/path)"
     */
    SymbolTable(NativeLibrary library, String describe) {
        this.library = library;
        this.describe = describe;
    }

    /** Opens (or reuses the already loaded) library file. */
    static SymbolTable open(String file, String describe) {
        try {
            return new SymbolTable(NativeLibrary.getInstance(file), describe);
        } catch (UnsatisfiedLinkError e) {
            throw new UserException("cannot open " + describe + ": " + e.getMessage());
        }
    }

    /**
     * The function exported as {@code symbol}.
     *
     * @param what what it is for, for the error message (e.g. "autocast (--precision bf16)")
     * @throws UserException if the library does not export it
     */
    Function require(String symbol, String what) {
        return optional(symbol).orElseThrow(() -> new UserException(describe + " does not export " + symbol
                + ", needed for " + what + ": use the libtorch version selfsup is built for (see selfsup doctor)"));
    }

    /** The function exported as {@code symbol}, or empty if the library lacks it. */
    Optional<Function> optional(String symbol) {
        return cache.computeIfAbsent(symbol, s -> {
            try {
                return Optional.of(library.getFunction(s));
            } catch (UnsatisfiedLinkError e) {
                return Optional.empty();
            }
        });
    }

    /** How error messages name the library. */
    String describe() {
        return describe;
    }
}
