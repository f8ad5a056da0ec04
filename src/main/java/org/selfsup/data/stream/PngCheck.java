package org.selfsup.data.stream;

import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.selfsup.data.BadImageException;

/**
 * The checks libpng makes before it fails, made in Java first, so that a damaged PNG is refused with
 * selfsup's one line instead of also having libpng print {@code libpng error: ...} on standard error (OpenCV
 * gives libpng no error handler of its own), with PIL 9.4's verdicts: every chunk before the image data
 * whole and with a matching CRC (PIL refuses any it reads), the IDAT data a complete zlib stream with its
 * checksum and, for a non-interlaced image, enough rows with valid filter types. What PIL reads past is
 * repaired in a copy for libpng: a wrong IDAT CRC (the data is checked here instead) and damage after the
 * image data (PIL stops reading there). Costs one extra inflate of the data, less than libpng's decode.
 */
final class PngCheck {
    private PngCheck() {}

    /**
     * Throws the reason {@code b} (a PNG, its signature and IHDR already read) cannot be decoded, and returns
     * the bytes to give libpng: {@code b} itself, or a repaired copy where PIL reads past damage that libpng
     * would refuse or warn about — an IDAT chunk with a wrong CRC (PIL does not check it; its data is checked
     * here), and anything after complete image data (a wrong CRC, a chunk cut short, no IEND: PIL stops
     * reading there), which the copy replaces by an IEND.
     */
    static byte[] check(byte[] b, int len) throws BadImageException {
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
            java.util.List<Integer> badIdatCrc = new java.util.ArrayList<>();
            int pos = 8;
            int afterIdat = -1; // where the chunks after the image data begin
            boolean cutShort = false; // the file ends inside a chunk or before IEND
            CRC32 crc = new CRC32();
            while (true) {
                long n = pos + 8 <= len ? be32(b, pos) & 0xFFFFFFFFL : -1;
                if (n < 0 || n > Integer.MAX_VALUE || pos + 12 + n > len) {
                    if (seenIdat) {
                        afterIdat = pos; // cut short after (or inside) the image data: checked below
                        cutShort = true;
                        break;
                    }
                    throw new BadImageException(n < 0 ? "image file is truncated (PNG ends before its image data)"
                            : "image file is truncated (a PNG chunk of " + n + " bytes runs past the end of the file)");
                }
                String type = new String(b, pos + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
                if (seenIdat && !type.equals("IDAT")) {
                    afterIdat = pos;
                    break;
                }
                crc.reset();
                crc.update(b, pos + 4, 4 + (int) n);
                boolean crcOk = (int) crc.getValue() == be32(b, pos + 8 + (int) n);
                if (type.equals("IDAT")) {
                    if (!crcOk) {
                        badIdatCrc.add(pos); // PIL does not check it; the data itself is checked below
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
                } else if (!crcOk) {
                    throw new BadImageException("damaged PNG: CRC error in its " + printable(type) + " chunk");
                } else if (type.equals("IEND")) {
                    throw new BadImageException("damaged PNG: no image data (IDAT)");
                }
                pos += 12 + (int) n;
            }
            if (!inflater.finished()) {
                throw new BadImageException(cutShort ? "image file is truncated (PNG ends inside its image data)"
                        : "damaged PNG: its compressed image data ends early");
            }
            if (expected >= 0 && produced < expected) {
                throw new BadImageException("damaged PNG: not enough image data (" + produced + " of " + expected
                        + " bytes)");
            }
            boolean cut = !restIsSound(b, len, afterIdat, crc);
            if (badIdatCrc.isEmpty() && !cut) {
                return b;
            }
            byte[] fixed = java.util.Arrays.copyOf(b, cut ? afterIdat + 12 : len);
            for (int at : badIdatCrc) {
                int n = be32(fixed, at);
                crc.reset();
                crc.update(fixed, at + 4, 4 + n);
                putBe32(fixed, at + 8 + n, (int) crc.getValue());
            }
            if (cut) {
                byte[] iend = {0, 0, 0, 0, 'I', 'E', 'N', 'D', (byte) 0xAE, 0x42, 0x60, (byte) 0x82};
                System.arraycopy(iend, 0, fixed, afterIdat, 12);
            }
            return fixed;
        } catch (DataFormatException e) {
            throw new BadImageException("damaged PNG: its compressed image data is corrupt (" + e.getMessage() + ")");
        } finally {
            inflater.end();
        }
    }

    /** Whether the chunks from {@code pos} on are whole, with their CRCs, up to an IEND. */
    private static boolean restIsSound(byte[] b, int len, int pos, CRC32 crc) {
        while (pos >= 0 && pos + 12 <= len) {
            long n = be32(b, pos) & 0xFFFFFFFFL;
            if (n > Integer.MAX_VALUE || pos + 12 + n > len) {
                return false;
            }
            crc.reset();
            crc.update(b, pos + 4, 4 + (int) n);
            if ((int) crc.getValue() != be32(b, pos + 8 + (int) n)) {
                return false;
            }
            if (b[pos + 4] == 'I' && b[pos + 5] == 'E' && b[pos + 6] == 'N' && b[pos + 7] == 'D') {
                return true;
            }
            pos += 12 + (int) n;
        }
        return false;
    }

    private static void putBe32(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 24);
        b[i + 1] = (byte) (v >>> 16);
        b[i + 2] = (byte) (v >>> 8);
        b[i + 3] = (byte) v;
    }

    private static String printable(String type) {
        return type.chars().allMatch(c -> c >= 'A' && c <= 'z') ? type : "unnamed";
    }

    private static int be32(byte[] b, int i) {
        return (b[i] & 0xFF) << 24 | (b[i + 1] & 0xFF) << 16 | (b[i + 2] & 0xFF) << 8 | (b[i + 3] & 0xFF);
    }
}
