package org.selfsup.natives;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import java.util.List;
import java.util.Optional;

/**
 * The system's libjpeg-turbo through its TurboJPEG C API ({@code libturbojpeg.so.0}, Debian package
 * {@code libturbojpeg0}), for decoding JPEG files to RGB.
 *
 * <p>Why: it is the build PIL uses on Debian, with libjpeg-turbo's SIMD code, which the OpenCV build on
 * Maven Central lacks (its bundled libjpeg-turbo is compiled without SIMD), so the same accurate integer
 * IDCT and fancy upsampling run about twice as fast. The flags keep PIL's settings: accurate integer
 * DCT ({@code TJFLAG_ACCURATEDCT}), fancy upsampling (no {@code TJFLAG_FASTUPSAMPLE}), warnings
 * tolerated as libjpeg's defaults do (PIL decodes such files), EXIF orientation ignored (TurboJPEG never
 * reads it).
 *
 * <p>Optional: when the library is not installed (or older than TurboJPEG 2.0), {@link #get()} is empty
 * and callers use another decoder; {@code -Dselfsup.noTurboJpeg=true} makes it empty too, for comparisons. Thread-safe: every call makes and destroys its own TurboJPEG handle.
 */
public final class TurboJpeg {
    private static final int TJPF_RGB = 0;
    private static final int TJFLAG_ACCURATEDCT = 4096;
    private static final int TJERR_WARNING = 0;
    private static final List<String> NAMES = List.of("libturbojpeg.so.0", "turbojpeg");
    private static final List<String> FUNCTIONS = List.of("tjInitDecompress", "tjDecompressHeader3", "tjDecompress2",
            "tjGetErrorCode", "tjGetErrorStr2", "tjDestroy");
    private static final Optional<TurboJpeg> INSTANCE = load();

    /** The TurboJPEG 2 functions used (declared as in {@code turbojpeg.h}). */
    interface Lib extends Library {
        Pointer tjInitDecompress();

        int tjDecompressHeader3(Pointer handle, byte[] jpeg, NativeLong size, IntByReference width,
                                IntByReference height, IntByReference subsamp, IntByReference colorspace);

        int tjDecompress2(Pointer handle, byte[] jpeg, NativeLong size, byte[] dst, int width, int pitch,
                          int height, int pixelFormat, int flags);

        int tjGetErrorCode(Pointer handle);

        String tjGetErrorStr2(Pointer handle);

        int tjDestroy(Pointer handle);
    }

    /** A JPEG that TurboJPEG refused, with its message. */
    public static final class DecodeException extends Exception {
        private static final long serialVersionUID = 1L;

        DecodeException(String message) {
            super(message);
        }
    }

    private final Lib lib;
    private final String name;

    private TurboJpeg(Lib lib, String name) {
        this.lib = lib;
        this.name = name;
    }

    /** The loaded library, or empty when no libturbojpeg is installed. */
    public static Optional<TurboJpeg> get() {
        return INSTANCE;
    }

    private static Optional<TurboJpeg> load() {
        if (Boolean.getBoolean("selfsup.noTurboJpeg")) {
            return Optional.empty();
        }
        for (String name : NAMES) {
            try {
                // JNA binds functions at their first call: check now that this is TurboJPEG 2 (an older
                // library lacks tjGetErrorCode and tjGetErrorStr2), so a decode never fails on a symbol.
                NativeLibrary nl = NativeLibrary.getInstance(name);
                for (String f : FUNCTIONS) {
                    nl.getFunction(f);
                }
                return Optional.of(new TurboJpeg(Native.load(name, Lib.class), name));
            } catch (UnsatisfiedLinkError e) {
                // not installed under this name, or too old: try the next one
            }
        }
        return Optional.empty();
    }

    /** The library name that was loaded, e.g. {@code libturbojpeg.so.0}. */
    public String libraryName() {
        return name;
    }

    /**
     * Decodes a whole JPEG file to 8-bit RGB, row-major, 3 bytes per pixel.
     *
     * @param jpeg      the file's bytes
     * @param maxPixels refuse (before allocating) a picture with more pixels than this
     * @return the width, height and RGB bytes
     * @throws DecodeException when TurboJPEG cannot read the header or the data
     */
    public Decoded decodeRgb(byte[] jpeg, long maxPixels) throws DecodeException {
        Pointer handle = lib.tjInitDecompress();
        if (handle == null) {
            throw new DecodeException("TurboJPEG could not make a decompressor");
        }
        try {
            NativeLong size = new NativeLong(jpeg.length);
            IntByReference w = new IntByReference();
            IntByReference h = new IntByReference();
            IntByReference subsamp = new IntByReference();
            IntByReference colorspace = new IntByReference();
            if (lib.tjDecompressHeader3(handle, jpeg, size, w, h, subsamp, colorspace) != 0) {
                throw new DecodeException(lib.tjGetErrorStr2(handle));
            }
            int width = w.getValue();
            int height = h.getValue();
            if (width <= 0 || height <= 0 || (long) width * height > maxPixels) {
                throw new DecodeException("JPEG header claims " + width + "x" + height + " pixels");
            }
            byte[] rgb = new byte[width * height * 3];
            if (lib.tjDecompress2(handle, jpeg, size, rgb, width, width * 3, height, TJPF_RGB, TJFLAG_ACCURATEDCT) != 0
                    && lib.tjGetErrorCode(handle) != TJERR_WARNING) {
                throw new DecodeException(lib.tjGetErrorStr2(handle));
            }
            return new Decoded(width, height, rgb);
        } finally {
            lib.tjDestroy(handle);
        }
    }

    /** A decoded picture: width, height and RGB bytes. */
    public record Decoded(int width, int height, byte[] rgb) {}
}
