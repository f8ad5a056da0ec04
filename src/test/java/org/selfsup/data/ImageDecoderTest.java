package org.selfsup.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

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
            Image img = ImageDecoder.decode(resource(f[1]));
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
        System.out.printf(Locale.ROOT, "decode golden: %d files, %d values, identical %.4f%%; decoder: %s%n", cases, total,
                100.0 * same / total, ImageDecoder.describe());
        assertTrue(cases >= 18, "golden manifest lists " + cases + " files");
        assertTrue(mismatches.isEmpty(), "differ from PIL: " + mismatches);
    }
}
