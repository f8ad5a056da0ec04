package org.selfsup.data.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.selfsup.data.Image;
import org.selfsup.data.readers.PhotoLikePictures;

/**
 * The decoder against PIL 9.4: every file of {@code src/test/resources/decode/} (written with the
 * PIL-decoded arrays by {@code tools/make_decode_goldens.py}) must decode to exactly PIL's
 * {@code Image.open(f).convert("RGB")}. Prints identical % and max |diff| per file.
 */
class ImageDecoderTest {
    static byte[] resource(String name) throws IOException {
        try (InputStream in = ImageDecoderTest.class.getResourceAsStream("/decode/" + name)) {
            if (in == null) {
                throw new IOException("missing test resource /decode/" + name);
            }
            return in.readAllBytes();
        }
    }

    @Test
    void everyGoldenFileDecodesExactlyAsPil() throws Exception {
        goldens(false);
    }

    @Test
    void everyGoldenFileDecodesExactlyAsPilWithTheSystemsLibjpegTurbo() throws Exception {
        assumeTrue(ImageDecoder.systemJpegAvailable(), "libturbojpeg.so.0 is not installed (Debian: libturbojpeg0)");
        goldens(true);
    }

    /** Large photo-like JPEGs (every subsampling) decode to the same pixels through both libjpeg-turbo builds. */
    @Test
    void systemAndBundledLibjpegTurboAgreeOnLargePictures() throws Exception {
        assumeTrue(ImageDecoder.systemJpegAvailable(), "libturbojpeg.so.0 is not installed (Debian: libturbojpeg0)");
        for (int k = 0; k < 3; k++) {
            int w = 480 + 17 * k;
            int h = 360 + 11 * k;
            java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(w, h,
                    k == 2 ? java.awt.image.BufferedImage.TYPE_BYTE_GRAY : java.awt.image.BufferedImage.TYPE_INT_RGB);
            img.getRaster().setDataElements(0, 0, w, h, k == 2 ? grey(PhotoLikePictures.drawRgb(w, h,
                    new java.util.SplittableRandom(k))) : PhotoLikePictures.drawRgb(w, h, new java.util.SplittableRandom(k)));
            java.io.ByteArrayOutputStream jpeg = new java.io.ByteArrayOutputStream();
            javax.imageio.ImageIO.write(img, "jpg", jpeg);
            byte[] bytes = jpeg.toByteArray();
            Image system = ImageDecoder.decode(bytes, true);
            Image bundled = ImageDecoder.decode(bytes, false);
            assertEquals(w + "x" + h, system.width() + "x" + system.height());
            assertTrue(java.util.Arrays.equals(bundled.data(), system.data()), "picture " + k + " differs");
        }
    }

    private static byte[] grey(int[] rgb) {
        byte[] g = new byte[rgb.length];
        for (int i = 0; i < rgb.length; i++) {
            g[i] = (byte) (rgb[i] >>> 8);
        }
        return g;
    }

    private void goldens(boolean systemJpeg) throws Exception {
        List<String> mismatches = new ArrayList<>();
        long total = 0;
        long same = 0;
        String[] lines = new String(resource("MANIFEST"), StandardCharsets.UTF_8).split("\n");
        int cases = 0;
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.trim().split(" ");
            byte[] ref = resource(f[0] + ".rgb");
            Image img = ImageDecoder.decode(resource(f[1]), systemJpeg);
            int w = Integer.parseInt(f[2]);
            int h = Integer.parseInt(f[3]);
            assertEquals(w + "x" + h, img.width() + "x" + img.height(), f[1] + ": size");
            int maxDiff = 0;
            int eq = 0;
            for (int i = 0; i < ref.length; i++) {
                int d = Math.abs((ref[i] & 0xFF) - (img.data()[i] & 0xFF));
                maxDiff = Math.max(maxDiff, d);
                eq += d == 0 ? 1 : 0;
            }
            total += ref.length;
            same += eq;
            cases++;
            System.out.printf(Locale.ROOT, "decode golden %-28s %3dx%-3d identical %7.3f%%  max|diff| %d%n", f[1], w, h,
                    100.0 * eq / ref.length, maxDiff);
            if (maxDiff != 0) {
                mismatches.add(f[1] + " (max |diff| " + maxDiff + ")");
            }
        }
        System.out.printf(Locale.ROOT, "decode golden: %d files, %d values, identical %.4f%%; JPEG through %s%n", cases,
                total, 100.0 * same / total, systemJpeg ? "the system's libjpeg-turbo" : "OpenCV (or ImageIO)");
        assertTrue(cases >= 18, "golden manifest lists " + cases + " files");
        assertTrue(mismatches.isEmpty(), "differ from PIL: " + mismatches);
    }
}
