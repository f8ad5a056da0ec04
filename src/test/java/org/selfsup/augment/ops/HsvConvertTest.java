package org.selfsup.augment.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;

/** The table-driven HSV conversions agree with the literal transcription of Pillow on every input. */
class HsvConvertTest {
    @Test
    void rgbToHsvMatchesReferenceEverywhere() {
        for (int r = 0; r < 256; r++) {
            for (int g = 0; g < 256; g++) {
                for (int b = 0; b < 256; b++) {
                    int fast = HsvConvert.rgbToHsv(r, g, b);
                    int ref = HsvConvert.referenceRgbToHsv(r, g, b);
                    if (fast != ref) {
                        fail("rgb " + r + "," + g + "," + b + ": " + Integer.toHexString(fast) + " != "
                                + Integer.toHexString(ref));
                    }
                }
            }
        }
    }

    @Test
    void hsvToRgbMatchesReferenceEverywhere() {
        for (int h = 0; h < 256; h++) {
            for (int s = 0; s < 256; s++) {
                for (int v = 0; v < 256; v++) {
                    int fast = HsvConvert.hsvToRgb(h, s, v);
                    int ref = HsvConvert.referenceHsvToRgb(h, s, v);
                    if (fast != ref) {
                        fail("hsv " + h + "," + s + "," + v + ": " + Integer.toHexString(fast) + " != "
                                + Integer.toHexString(ref));
                    }
                }
            }
        }
    }

    @Test
    void fusedHueShiftMatchesTheRoundTripEverywhere() {
        for (int delta : new int[] {0, 37, 231}) {
            for (int rgb = 0; rgb < 1 << 24; rgb++) {
                int r = rgb >>> 16;
                int g = rgb >>> 8 & 0xFF;
                int b = rgb & 0xFF;
                int hsv = HsvConvert.rgbToHsv(r, g, b);
                int expected = HsvConvert.hsvToRgb((hsv >>> 16) + delta & 0xFF, hsv >>> 8 & 0xFF, hsv & 0xFF);
                int fused = HsvConvert.shiftHue(r, g, b, delta);
                if (fused != expected) {
                    fail("rgb " + r + "," + g + "," + b + " delta " + delta + ": " + Integer.toHexString(fused)
                            + " != " + Integer.toHexString(expected));
                }
            }
        }
    }

    @Test
    void knownValues() {
        // Pure red: H 0, S 255, V 255; a grey keeps H = S = 0.
        assertEquals(0x00FFFF, HsvConvert.rgbToHsv(255, 0, 0));
        assertEquals(0x000080, HsvConvert.rgbToHsv(128, 128, 128));
        assertEquals(0xFF0000, HsvConvert.hsvToRgb(0, 255, 255));
    }
}
