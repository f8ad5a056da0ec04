package org.selfsup.data.stream;

import org.selfsup.data.BadImageException;

/**
 * What the first bytes of an image file say: the format, the pixel size and, for JPEG, the number of
 * colour components; read without decoding, so a folder can be checked (and a decompression bomb
 * refused) before any pixel memory is allocated.
 *
 * @param format     {@code "JPEG"}, {@code "PNG"}, {@code "GIF"}, {@code "BMP"}, {@code "TIFF"} or {@code "WEBP"}
 * @param width      pixels, or 0 when the header does not say (TIFF, WebP: the decoder finds out)
 * @param height     pixels, or 0 when unknown
 * @param components JPEG colour components (1 grey, 3 YCbCr/RGB, 4 CMYK/YCCK); PNG: 1 for 16-bit grey
 *                   (which PIL clips instead of scaling), else 0
 */
public record ImageHeader(String format, int width, int height, int components) {
    /**
     * Largest accepted pixel count: PIL's {@code Image.MAX_IMAGE_PIXELS * 2}, above which PIL raises
     * {@code DecompressionBombError} instead of decoding.
     */
    public static final long MAX_PIXELS = 2L * 89_478_485L;

    /** Bytes of a file's start that {@link #read} needs in almost every file (JPEG SOF after large EXIF). */
    public static final int PROBE_BYTES = 1 << 16;

    /**
     * Reads the header at the start of {@code b} (the whole file, or at least its first {@link #PROBE_BYTES}).
     *
     * @param complete whether {@code b} is the whole file (then a JPEG without its frame header is truncated)
     * @return the header, or null if {@code b} is a JPEG prefix too short to hold its frame header
     * @throws BadImageException for an empty file, unrecognised content, an unsupported format, a zero or
     *                           too large pixel size
     */
    public static ImageHeader read(byte[] b, int length, boolean complete) throws BadImageException {
        if (length == 0) {
            throw new BadImageException("empty file (0 bytes)");
        }
        ImageHeader h;
        if (length >= 3 && u8(b, 0) == 0xFF && u8(b, 1) == 0xD8 && u8(b, 2) == 0xFF) {
            h = jpeg(b, length);
            if (h == null) {
                if (complete) {
                    throw new BadImageException("image file is truncated (no JPEG frame header)");
                }
                return null;
            }
        } else if (startsWith(b, length, new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'})) {
            if (length < 26 || !(b[12] == 'I' && b[13] == 'H' && b[14] == 'D' && b[15] == 'R')) {
                throw new BadImageException("image file is truncated (no PNG header chunk)");
            }
            int depth = u8(b, 24);
            int colour = u8(b, 25);
            h = new ImageHeader("PNG", be32(b, 16), be32(b, 20), depth == 16 && colour == 0 ? 1 : 0);
        } else if (length >= 10 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F' && b[3] == '8') {
            h = new ImageHeader("GIF", le16(b, 6), le16(b, 8), 0);
        } else if (length >= 26 && b[0] == 'B' && b[1] == 'M') {
            h = new ImageHeader("BMP", Math.abs(le32(b, 18)), Math.abs(le32(b, 22)), 0);
        } else if (length >= 4 && ((b[0] == 'I' && b[1] == 'I' && b[2] == 42 && b[3] == 0)
                || (b[0] == 'M' && b[1] == 'M' && b[2] == 0 && b[3] == 42))) {
            h = new ImageHeader("TIFF", 0, 0, 0);
        } else if (length >= 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F'
                && b[8] == 'W' && b[9] == 'E' && b[10] == 'B' && b[11] == 'P') {
            h = new ImageHeader("WEBP", 0, 0, 0);
        } else {
            String known = unsupportedFormat(b, length);
            throw new BadImageException(known != null ? "unsupported image format (" + known + ")"
                    : "not an image (content is not JPEG, PNG, GIF, BMP, TIFF or WebP)");
        }
        if (h.format.equals("JPEG") || h.format.equals("PNG") || h.format.equals("GIF") || h.format.equals("BMP")) {
            if (h.width <= 0 || h.height <= 0) {
                throw new BadImageException("header gives an empty size " + h.width + "x" + h.height);
            }
        }
        h.checkPixels();
        return h;
    }

    /** Refuses a pixel count above {@link #MAX_PIXELS} (the memory guard). */
    public void checkPixels() throws BadImageException {
        if ((long) width * height > MAX_PIXELS) {
            throw new BadImageException("header claims " + width + "x" + height + " pixels, more than the limit of "
                    + MAX_PIXELS + " (decompression-bomb guard, as PIL)");
        }
    }

    /**
     * Whether a whole JPEG file reaches its end-of-image marker: walks the marker segments and the
     * entropy-coded data of every scan. PIL refuses a file that ends before (OSError "image file is
     * truncated"); libjpeg would fill the rest with grey and only warn.
     */
    public static boolean jpegComplete(byte[] b, int length) {
        int i = 2;
        while (i + 1 < length) {
            if (u8(b, i) != 0xFF) {
                i++; // junk before a marker: skipped, as PIL and libjpeg do
                continue;
            }
            int m = u8(b, i + 1);
            if (m == 0xFF) {
                i++; // fill byte
                continue;
            }
            if (m == 0xD9) {
                return true;
            }
            if (m == 0x01 || (m >= 0xD0 && m <= 0xD7)) {
                i += 2;
                continue;
            }
            if (i + 3 >= length) {
                return false;
            }
            int len = be16(b, i + 2);
            i += 2 + len;
            if (m == 0xDA) {
                // entropy-coded data: runs until a marker other than a stuffed 0x00 or a restart marker
                while (i + 1 < length) {
                    if (u8(b, i) == 0xFF) {
                        int n = u8(b, i + 1);
                        if (n != 0x00 && !(n >= 0xD0 && n <= 0xD7) && n != 0xFF) {
                            break;
                        }
                        i += n == 0xFF ? 1 : 2;
                    } else {
                        i++;
                    }
                }
            }
        }
        return false;
    }

    /**
     * {@code b} without the junk bytes PIL skips between the JPEG's header segments (up to its first scan),
     * or {@code b} itself when it has none: libjpeg skips them too, but warns on standard error (through
     * OpenCV) or reports a warning (TurboJPEG), so the decoders get the clean stream; pixels are the same.
     */
    static byte[] jpegWithoutJunk(byte[] b) {
        java.io.ByteArrayOutputStream out = null;
        int i = 2;
        int copied = 0;
        while (i + 3 < b.length) {
            if (u8(b, i) != 0xFF || u8(b, i + 1) == 0x00) {
                int junk = i;
                while (i + 1 < b.length && (u8(b, i) != 0xFF || u8(b, i + 1) == 0x00 || u8(b, i + 1) == 0xFF)) {
                    i += u8(b, i) == 0xFF && u8(b, i + 1) == 0x00 ? 2 : 1;
                }
                if (out == null) {
                    out = new java.io.ByteArrayOutputStream(b.length);
                }
                out.write(b, copied, junk - copied);
                copied = i;
                continue;
            }
            int m = u8(b, i + 1);
            if (m == 0xD8 || m == 0x01 || (m >= 0xD0 && m <= 0xD7)) {
                i += 2;
                continue;
            }
            if (m == 0xDA || m == 0xD9) {
                break;
            }
            i += 2 + be16(b, i + 2);
        }
        if (out == null) {
            return b;
        }
        out.write(b, copied, b.length - copied);
        return out.toByteArray();
    }

    private static ImageHeader jpeg(byte[] b, int length) throws BadImageException {
        int i = 2;
        while (i + 3 < length) {
            if (u8(b, i) != 0xFF) {
                i++; // junk before a marker: PIL skips it (its JPEG plugin: "Skip non-0xFF junk")
                continue;
            }
            int m = u8(b, i + 1);
            if (m == 0xFF) {
                i++;
                continue;
            }
            if (m == 0x00) {
                i += 2; // an escaped 0xFF where a marker belongs: PIL skips it too
                continue;
            }
            if (m == 0xD8 || m == 0x01 || (m >= 0xD0 && m <= 0xD7)) {
                i += 2;
                continue;
            }
            if (m == 0xD9 || m == 0xDA) {
                throw new BadImageException("broken JPEG data stream (no frame header before the image data)");
            }
            int len = be16(b, i + 2);
            if (len < 2) {
                throw new BadImageException("broken JPEG data stream (marker segment of length " + len + ")");
            }
            boolean sof = m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
            if (sof) {
                if (i + 9 >= length) {
                    return null;
                }
                if (m == 0xC3 || m == 0xC7 || m == 0xCB || m == 0xCF) {
                    throw new BadImageException("unsupported image format (lossless JPEG)");
                }
                return new ImageHeader("JPEG", be16(b, i + 7), be16(b, i + 5), u8(b, i + 9));
            }
            i += 2 + len;
        }
        return null;
    }

    private static String unsupportedFormat(byte[] b, int n) {
        if (n >= 4 && b[0] == '8' && b[1] == 'B' && b[2] == 'P' && b[3] == 'S') {
            return "Photoshop PSD";
        }
        if (n >= 12 && b[4] == 'f' && b[5] == 't' && b[6] == 'y' && b[7] == 'p') {
            String brand = new String(b, 8, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            return brand.startsWith("avi") ? "AVIF" : brand.startsWith("hei") || brand.startsWith("mif") ? "HEIF" : "ISO media '" + brand + "'";
        }
        if (n >= 4 && b[0] == '%' && b[1] == 'P' && b[2] == 'D' && b[3] == 'F') {
            return "PDF";
        }
        if (n >= 12 && u8(b, 0) == 0 && u8(b, 1) == 0 && u8(b, 2) == 0 && u8(b, 3) == 0x0C && b[4] == 'j' && b[5] == 'P') {
            return "JPEG 2000";
        }
        if (n >= 4 && u8(b, 0) == 0 && u8(b, 1) == 0 && u8(b, 2) == 1 && u8(b, 3) == 0) {
            return "Windows icon";
        }
        return null;
    }

    private static boolean startsWith(byte[] b, int n, byte[] sig) {
        if (n < sig.length) {
            return false;
        }
        for (int i = 0; i < sig.length; i++) {
            if (b[i] != sig[i]) {
                return false;
            }
        }
        return true;
    }

    private static int u8(byte[] b, int i) { return b[i] & 0xFF; }
    private static int be16(byte[] b, int i) { return (u8(b, i) << 8) | u8(b, i + 1); }
    private static int le16(byte[] b, int i) { return u8(b, i) | (u8(b, i + 1) << 8); }
    private static int be32(byte[] b, int i) { return (be16(b, i) << 16) | be16(b, i + 2); }
    private static int le32(byte[] b, int i) { return le16(b, i) | (le16(b, i + 2) << 16); }
}
