package org.selfsup.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Position-embedding resizing against PyTorch's {@code F.interpolate(mode='bicubic', align_corners=False)}
 * as timm's {@code resample_abs_pos_embed} calls it, on fixed grids (goldens from tools/vit_goldens.py,
 * PyTorch 1.13): the host resize of weight import with and without antialiasing, and the forward pass's
 * libtorch resize (DJL's JNI asks libtorch for antialiasing, as timm does), growing and shrinking.
 */
class PositionEmbeddingsTest {
    static JsonNode goldens;

    @BeforeAll
    static void read() throws Exception {
        TorchThreads.single();
        try (InputStream in = PositionEmbeddingsTest.class.getResourceAsStream("/vit/goldens.json")) {
            goldens = new ObjectMapper().readTree(in);
        }
    }

    static float[] floats(JsonNode n) {
        float[] out = new float[n.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) n.get(i).asDouble();
        }
        return out;
    }

    static double maxDiff(float[] a, float[] b) {
        assertEquals(b.length, a.length);
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }

    @Test
    void hostResizeMatchesPyTorchWithAndWithoutAntialiasing() {
        int cases = 0;
        for (JsonNode c : goldens.get("resample")) {
            int old = c.get("old").asInt();
            int fresh = c.get("new").asInt();
            int dim = c.get("dim").asInt();
            boolean aa = c.get("antialias").asBoolean();
            float[] got = PositionEmbeddings.resample(floats(c.get("input")), 1, old, fresh, dim, aa);
            double d = maxDiff(got, floats(c.get("output")));
            System.out.printf("host %dx%d -> %dx%d antialias %s: max |diff| %.2g%n", old, old, fresh, fresh, aa, d);
            assertTrue(d < 2e-6, "max |diff| " + d);
            cases++;
        }
        assertEquals(10, cases);
    }

    @Test
    void forwardResizeIsLibtorchsAntialiasedBicubic() {
        try (NDManager m = NDManager.newBaseManager()) {
            for (JsonNode c : goldens.get("resample")) {
                if (!c.get("antialias").asBoolean()) {
                    continue;
                }
                int old = c.get("old").asInt();
                int fresh = c.get("new").asInt();
                int dim = c.get("dim").asInt();
                NDArray pos = m.create(floats(c.get("input")), new Shape(1, 1 + old * old, dim));
                NDArray got = VisionTransformer.resize(pos, old, fresh, fresh, m);
                assertEquals(new Shape(1, 1 + fresh * fresh, dim), got.getShape());
                double d = maxDiff(got.toFloatArray(), floats(c.get("output")));
                System.out.printf("libtorch %dx%d -> %dx%d: max |diff| %.2g%n", old, old, fresh, fresh, d);
                assertTrue(d < 1e-6, "max |diff| " + d);
            }
        }
    }
}
