package org.selfsup.augment.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;

/** The table-driven hue round trip agrees with the literal transcription of Pillow on every colour. */
class HsvConvertTest {
    @Test
    void hueShiftMatchesPillowsRoundTripEverywhere() {
        for (int delta : new int[] {0, 37, 231}) {
            for (int rgb = 0; rgb < 1 << 24; rgb++) {
                int r = rgb >>> 16;
                int g = rgb >>> 8 & 0xFF;
                int b = rgb & 0xFF;
                int hsv = HsvConvert.referenceRgbToHsv(r, g, b);
                int expected = HsvConvert.referenceHsvToRgb((hsv >>> 16) + delta & 0xFF, hsv >>> 8 & 0xFF, hsv & 0xFF);
                int fast = HsvConvert.shiftHue(r, g, b, delta);
                if (fast != expected) {
                    fail("rgb " + r + "," + g + "," + b + " delta " + delta + ": " + Integer.toHexString(fast)
                            + " != " + Integer.toHexString(expected));
                }
            }
        }
    }

    @Test
    void knownValues() {
        // Pure red: H 0, S 255, V 255; a grey keeps H = S = 0.
        assertEquals(0x00FFFF, HsvConvert.referenceRgbToHsv(255, 0, 0));
        assertEquals(0x000080, HsvConvert.referenceRgbToHsv(128, 128, 128));
        assertEquals(0xFF0000, HsvConvert.referenceHsvToRgb(0, 255, 255));
        // A third of the circle turns red into green; greys stay.
        assertEquals(0x00FF00, HsvConvert.shiftHue(255, 0, 0, 85));
        assertEquals(0x808080, HsvConvert.shiftHue(128, 128, 128, 85));
    }
}
