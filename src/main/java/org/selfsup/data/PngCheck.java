package org.selfsup.data;

import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The checks libpng makes before it fails, made in Java first, so that a damaged PNG is refused with
 * selfsup's one line instead of also having libpng print {@code libpng error: ...} on standard error (OpenCV
 * gives libpng no error handler of its own): every chunk inside the file and with a matching CRC (libpng
 * fails on a critical chunk's; PIL on any chunk it reads), an IEND (OpenCV reads to it), the IDAT data a
 * complete zlib stream with its checksum, and for a non-interlaced image enough rows with valid filter
 * types. Costs one extra inflate of the data, less than libpng's own decode.
 */
final class PngCheck {
    private PngCheck() {}

    /** Throws the reason {@code b} (a PNG, its signature and IHDR already read) would fail in libpng. */
    static void check(byte[] b, int len) throws BadImageException {
        int width = be32(b, 16);
        int height = be32(b, 20);
        int depth = b[24] & 0xFF;
        int colour = b[25] & 0xFF;
        boolean interlaced = (b[28] & 0xFF) != 0;
        int channels = switch (colour) {
            case 0, 3 -> 1;
            case 2 -> 3;
            case 4 -> 2;
            case 6 -> 4;
            default -> throw new BadImageException("damaged PNG: unknown colour type " + colour);
        };
        long rowBytes = ((long) width * channels * depth + 7) / 8;
        long expected = interlaced ? -1 : (rowBytes + 1) * height;
        Inflater inflater = new Inflater();
        try {
            byte[] out = new byte[64 * 1024];
            long produced = 0;
            long nextFilter = 0;
            boolean seenIdat = false;
            boolean idatDone = false;
            int pos = 8;
            CRC32 crc = new CRC32();
            while (true) {
                if (pos + 12 > len) {
                    throw new BadImageException("image file is truncated (PNG ends before its IEND chunk)");
                }
                long n = be32(b, pos) & 0xFFFFFFFFL;
                if (n > Integer.MAX_VALUE || pos + 12 + n > len) {
                    throw new BadImageException("image file is truncated (a PNG chunk of " + n + " bytes runs past the "
                            + "end of the file)");
                }
                String type = new String(b, pos + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
                crc.reset();
                crc.update(b, pos + 4, 4 + (int) n);
                if ((int) crc.getValue() != be32(b, pos + 8 + (int) n)) {
                    throw new BadImageException("damaged PNG: CRC error in its " + printable(type) + " chunk");
                }
                if (type.equals("IDAT")) {
                    if (idatDone) {
                        throw new BadImageException("damaged PNG: IDAT chunks are not consecutive");
                    }
                    seenIdat = true;
                    inflater.setInput(b, pos + 8, (int) n);
                    while (!inflater.needsInput() && !inflater.finished()) {
                        int k = inflater.inflate(out);
                        // each row starts with its filter type, 0..4 (libpng: "bad adaptive filter value")
                        while (!interlaced && nextFilter < expected && nextFilter < produced + k) {
                            int f = out[(int) (nextFilter - produced)] & 0xFF;
                            if (f > 4) {
                                throw new BadImageException("damaged PNG: bad filter type " + f + " in row "
                                        + nextFilter / (rowBytes + 1));
                            }
                            nextFilter += rowBytes + 1;
                        }
                        produced += k;
                        if (k == 0 && inflater.needsDictionary()) {
                            throw new BadImageException("damaged PNG: its compressed data needs a dictionary");
                        }
                        if (k == 0 && !inflater.needsInput() && !inflater.finished()) {
                            break;
                        }
                    }
                } else if (seenIdat) {
                    idatDone = true;
                }
                if (type.equals("IEND")) {
                    break;
                }
                pos += 12 + (int) n;
            }
            if (!seenIdat) {
                throw new BadImageException("damaged PNG: no image data (IDAT)");
            }
            if (!inflater.finished()) {
                throw new BadImageException("damaged PNG: its compressed image data ends early");
            }
            if (expected >= 0 && produced < expected) {
                throw new BadImageException("damaged PNG: not enough image data (" + produced + " of " + expected
                        + " bytes)");
            }
        } catch (DataFormatException e) {
            throw new BadImageException("damaged PNG: its compressed image data is corrupt (" + e.getMessage() + ")");
        } finally {
            inflater.end();
        }
    }

    private static String printable(String type) {
        return type.chars().allMatch(c -> c >= 'A' && c <= 'z') ? type : "unnamed";
    }

    private static int be32(byte[] b, int i) {
        return (b[i] & 0xFF) << 24 | (b[i + 1] & 0xFF) << 16 | (b[i + 2] & 0xFF) << 8 | (b[i + 3] & 0xFF);
    }
}
