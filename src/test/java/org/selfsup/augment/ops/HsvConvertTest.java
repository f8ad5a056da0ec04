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
    void knownValues() {
        // Pure red: H 0, S 255, V 255; a grey keeps H = S = 0.
        assertEquals(0x00FFFF, HsvConvert.rgbToHsv(255, 0, 0));
        assertEquals(0x000080, HsvConvert.rgbToHsv(128, 128, 128));
        assertEquals(0xFF0000, HsvConvert.hsvToRgb(0, 255, 255));
    }
}
