package org.selfsup.data.stream;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.util.Optional;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;
import org.selfsup.data.BadImageException;
import org.selfsup.data.Image;
import org.selfsup.natives.TurboJpeg;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes an image file's bytes to 8-bit RGB exactly as PIL 9.4's {@code Image.open(f).convert("RGB")},
 * the reference of the papers' data loaders (torchvision's {@code ImageFolder}).
 *
 * <ul>
 * <li>JPEG goes through the system's libjpeg-turbo when it is installed ({@link TurboJpeg}, Debian's
 *     {@code libturbojpeg0}: the library PIL itself uses there, with SIMD), else through OpenCV's
 *     {@code imdecode} (its bundled libjpeg-turbo 2.1, without SIMD); both with the accurate integer
 *     IDCT and fancy upsampling, as PIL, and EXIF orientation ignored as PIL does.
 * <li>PNG goes through OpenCV's {@code imdecode} (libpng), after {@link PngCheck} has refused in Java what
 *     libpng would refuse with its own message on standard error (truncation, a CRC error, corrupt
 *     compressed data, a bad row filter, no IEND).
 * <li>CMYK JPEG: the raw components are read (JDK ImageIO raster, same integer IDCT) and converted with
 *     PIL's formula (Adobe inverted CMYK, {@code 255 - k - c(255-k)/255} rounded as PIL's MULDIV255).
 * <li>16-bit grey PNG: PIL's mode {@code I} clips values above 255 (it does not scale); 16-bit RGB
 *     keeps the high byte. Alpha is dropped, palettes are expanded (transparency ignored).
 * <li>GIF, BMP, TIFF, WebP: OpenCV, else JDK ImageIO (not checked against PIL).
 * </ul>
 *
 * <p>Refused with a reason (a {@link BadImageException}): an empty file, content that is no image,
 * an unsupported format, a header claiming more than {@link ImageHeader#MAX_PIXELS} pixels (checked
 * before any pixel memory is allocated), a JPEG that ends before its end-of-image marker (PIL:
 * "image file is truncated"), and anything the decoder rejects. If OpenCV's natives cannot be loaded
 * on this platform, or are absent (the -gpu distribution strips them from OpenCV's jar), JDK ImageIO
 * decodes everything but what the system's libjpeg-turbo decodes (slower; a warning says so once).
 *
 * <p>Thread-safe; every call allocates its own buffers and frees the native ones before returning.
 */
public final class ImageDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(ImageDecoder.class);
    /** The system's libjpeg-turbo when installed: JPEG decoding with SIMD. */
    private static final Optional<TurboJpeg> TURBO = TurboJpeg.get();

    private ImageDecoder() {}

    /** Decodes a whole file's bytes to an RGB image. */
    public static Image decode(byte[] bytes) throws BadImageException {
        return decode(bytes, TURBO.isPresent(), true);
    }

    /**
     * {@link #decode(byte[])} for bytes that decoded before and are checksummed since (the pre-resized
     * store's entries): without the PNG pre-check ({@link PngCheck}), which costs about one more inflate.
     */
    static Image decodeVerified(byte[] bytes) throws BadImageException {
        return decode(bytes, TURBO.isPresent(), false);
    }

    /** Whether the system's libjpeg-turbo is installed and used for JPEG. */
    static boolean systemJpegAvailable() {
        return TURBO.isPresent();
    }

    /** {@link #decode(byte[])} with JPEG through the system's libjpeg-turbo or not (tests compare both). */
    static Image decode(byte[] bytes, boolean systemJpeg) throws BadImageException {
        return decode(bytes, systemJpeg, true);
    }

    private static Image decode(byte[] bytes, boolean systemJpeg, boolean checkPng) throws BadImageException {
        ImageHeader h = ImageHeader.read(bytes, bytes.length, true);
        if (h.format().equals("JPEG")) {
            bytes = ImageHeader.jpegWithoutJunk(bytes);
            if (!ImageHeader.jpegComplete(bytes, bytes.length)) {
                throw new BadImageException("image file is truncated");
            }
            if (h.components() == 4) {
                return cmykJpeg(bytes);
            }
            if (h.components() != 1 && h.components() != 3) {
                throw new BadImageException("unsupported JPEG with " + h.components() + " colour components");
            }
        }
        Image img;
        if (systemJpeg && h.format().equals("JPEG")) {
            img = turboJpeg(TURBO.orElseThrow(), bytes);
        } else if (OpenCv.AVAILABLE && !h.format().equals("GIF")) {
            if (checkPng && h.format().equals("PNG")) {
                bytes = PngCheck.check(bytes, bytes.length); // libpng would also print its own message for these
            }
            img = h.format().equals("PNG") && h.components() == 1 ? grey16Png(bytes) : openCv(bytes);
            if (img == null) {
                throw new BadImageException("cannot decode " + h.format() + " data (damaged or truncated file)");
            }
        } else {
            img = imageIo(bytes, h.format());
        }
        ImageHeader decoded = new ImageHeader(h.format(), img.width(), img.height(), 0);
        decoded.checkPixels();
        return img;
    }

    /** Whether OpenCV's natives are loaded (else JDK ImageIO decodes, and {@link ImageEncoder} encodes). */
    static boolean openCvAvailable() {
        return OpenCv.AVAILABLE;
    }

    /** The decoders in use, for {@code data info}, {@code doctor} and benchmarks. */
    public static String describe() {
        String other = OpenCv.AVAILABLE ? "OpenCV " + Core.VERSION + " imdecode (libjpeg-turbo without SIMD, libpng)"
                : "JDK ImageIO (OpenCV natives unavailable)";
        return TURBO.map(t -> "JPEG: system libjpeg-turbo (" + t.libraryName() + "); others: " + other)
                .orElse(other + " (install libturbojpeg0 for faster JPEG decoding)");
    }

    /** JPEG through the system's libjpeg-turbo (SIMD), PIL's own build on Debian. */
    private static Image turboJpeg(TurboJpeg turbo, byte[] bytes) throws BadImageException {
        try {
            TurboJpeg.Decoded d = turbo.decodeRgb(bytes, ImageHeader.MAX_PIXELS);
            return new Image(d.height(), d.width(), 3, d.rgb());
        } catch (TurboJpeg.DecodeException e) {
            throw new BadImageException("cannot decode JPEG data (" + e.getMessage() + ")");
        }
    }

    private static Image openCv(byte[] bytes) {
        MatOfByte buf = new MatOfByte(bytes);
        Mat m = Imgcodecs.imdecode(buf, Imgcodecs.IMREAD_COLOR | Imgcodecs.IMREAD_IGNORE_ORIENTATION);
        try {
            if (m.empty() || m.type() != CvType.CV_8UC3) {
                return null;
            }
            Imgproc.cvtColor(m, m, Imgproc.COLOR_BGR2RGB);
            byte[] out = new byte[m.rows() * m.cols() * 3];
            m.get(0, 0, out);
            return new Image(m.rows(), m.cols(), 3, out);
        } finally {
            m.release();
            buf.release();
        }
    }

    /** 16-bit grey PNG: PIL opens it as mode I and {@code convert("RGB")} clips to 255. */
    private static Image grey16Png(byte[] bytes) {
        MatOfByte buf = new MatOfByte(bytes);
        Mat m = Imgcodecs.imdecode(buf, Imgcodecs.IMREAD_ANYDEPTH | Imgcodecs.IMREAD_GRAYSCALE);
        try {
            if (m.empty() || m.type() != CvType.CV_16UC1) {
                return null;
            }
            short[] v = new short[m.rows() * m.cols()];
            m.get(0, 0, v);
            byte[] out = new byte[v.length * 3];
            for (int i = 0; i < v.length; i++) {
                byte g = (byte) Math.min(255, v[i] & 0xFFFF);
                out[3 * i] = out[3 * i + 1] = out[3 * i + 2] = g;
            }
            return new Image(m.rows(), m.cols(), 3, out);
        } finally {
            m.release();
            buf.release();
        }
    }

    /** CMYK JPEG: raw (Adobe-inverted) components, then PIL's {@code CMYK;I} unpacking and cmyk2rgb. */
    private static Image cmykJpeg(byte[] bytes) throws BadImageException {
        Raster r;
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("jpeg");
            ImageReader reader = readers.next();
            try {
                reader.setInput(in);
                r = reader.readRaster(0, null);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw new BadImageException("cannot decode CMYK JPEG data (" + e.getMessage() + ")");
        }
        if (r.getNumBands() != 4) {
            throw new BadImageException("CMYK JPEG decoded to " + r.getNumBands() + " bands");
        }
        int w = r.getWidth();
        int h = r.getHeight();
        int[] px = r.getPixels(r.getMinX(), r.getMinY(), w, h, (int[]) null);
        byte[] out = new byte[w * h * 3];
        for (int i = 0, o = 0; i < px.length; i += 4, o += 3) {
            int nk = px[i + 3]; // 255 - K, with K = 255 - raw (Adobe inversion)
            for (int c = 0; c < 3; c++) {
                int tmp = (255 - px[i + c]) * nk + 128; // MULDIV255(C, nk)
                int v = nk - (((tmp >> 8) + tmp) >> 8);
                out[o + c] = (byte) Math.max(0, Math.min(255, v));
            }
        }
        return new Image(h, w, 3, out);
    }

    private static Image imageIo(byte[] bytes, String format) throws BadImageException {
        BufferedImage img;
        try {
            img = ImageIO.read(new ByteArrayInputStream(bytes));
        } catch (IOException | RuntimeException e) {
            throw new BadImageException("cannot decode " + format + " data (" + e.getMessage() + ")");
        }
        if (img == null) {
            throw new BadImageException("unsupported image format (" + format + ")");
        }
        int w = img.getWidth();
        int h = img.getHeight();
        byte[] out = new byte[w * h * 3];
        Raster r = img.getRaster();
        boolean grey = r.getNumBands() == 1
                && img.getColorModel().getColorSpace().getType() == java.awt.color.ColorSpace.TYPE_GRAY;
        int[] argb = new int[w];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            if (grey) {
                // the raster directly: getRGB would apply Java's gamma conversion of linear grey
                int bits = img.getColorModel().getComponentSize(0);
                r.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    int v = bits > 8 ? row[x] >> (bits - 8) : row[x];
                    int o = (y * w + x) * 3;
                    out[o] = out[o + 1] = out[o + 2] = (byte) v;
                }
            } else {
                img.getRGB(0, y, w, 1, argb, 0, w);
                for (int x = 0; x < w; x++) {
                    int o = (y * w + x) * 3;
                    out[o] = (byte) (argb[x] >> 16);
                    out[o + 1] = (byte) (argb[x] >> 8);
                    out[o + 2] = (byte) argb[x];
                }
            }
        }
        return new Image(h, w, 3, out);
    }

    /** Loads OpenCV's bundled natives once; falls back to ImageIO (with one warning) where they do not load. */
    private static final class OpenCv {
        static final boolean AVAILABLE = load();

        private static boolean load() {
            try {
                nu.pattern.OpenCV.loadLocally();
                return true;
            } catch (Throwable t) {
                LOG.warn("OpenCV natives unavailable ({}): decoding images with JDK ImageIO, slower and not "
                        + "checked against PIL", reason(t));
                return false;
            }
        }

        /** Why the natives did not load, in words: OpenCV's own error is a bare NullPointerException when its jar
         *  holds no native library (the -gpu distribution strips them). */
        private static String reason(Throwable t) {
            if (OpenCv.class.getClassLoader().getResource("nu/pattern/opencv/") == null) {
                return "the OpenCV jar on the class path holds no native libraries, as in the -gpu distribution";
            }
            Throwable root = t;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return root == t ? t.toString() : t + ", caused by " + root;
        }
    }
}
