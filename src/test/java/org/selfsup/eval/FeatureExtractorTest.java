package org.selfsup.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.selfsup.augment.ops.CenterCrop;
import org.selfsup.data.Image;
import org.selfsup.data.ImageStore;
import org.selfsup.data.Normalization;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class FeatureExtractorTest {
    @Test
    void toTensorAndNormalize() {
        try (NDManager m = NDManager.newBaseManager()) {
            Image img = new Image(1, 2, 3, new byte[] {0, (byte) 255, 51, 102, (byte) 128, 0});
            NDArray x = ImageTensors.toBatch(m, List.of(img), Normalization.CIFAR);
            assertEquals(new ai.djl.ndarray.types.Shape(1, 3, 1, 2), x.getShape());
            float[] v = x.toFloatArray();
            // channel-major: R(0), R(1), G(0), G(1), B(0), B(1)
            float[] expected = {
                (0f - 0.4914f) / 0.2023f, (102 / 255f - 0.4914f) / 0.2023f,
                (1f - 0.4822f) / 0.1994f, (128 / 255f - 0.4822f) / 0.1994f,
                (51 / 255f - 0.4465f) / 0.2010f, (0f - 0.4465f) / 0.2010f};
            assertArrayEquals(expected, v, 1e-5f);
        }
    }

    @Test
    void centerCropMatchesTorchvision() {
        // 5x5 grey image with value = 10*y + x; CenterCrop(2): top = round(1.5) = 2, left = 2
        byte[] d = new byte[25];
        for (int i = 0; i < 25; i++) {
            d[i] = (byte) (10 * (i / 5) + i % 5);
        }
        Image out = new CenterCrop(2).apply(new Image(5, 5, 1, d));
        assertArrayEquals(new byte[] {22, 23, 32, 33}, out.data());
        Image out3 = new CenterCrop(3).apply(new Image(5, 5, 1, d));
        assertEquals(11, out3.get(0, 0, 0));
    }

    @Test
    void extractsInOrderAcrossBatchesAndNormalises() {
        // grey 2x2 images: image i has every pixel = 10 * (i + 1); encoder = [mean, 2*mean] of channel 0
        int n = 7;
        byte[][] px = new byte[n][];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            px[i] = new byte[] {(byte) (10 * (i + 1)), (byte) (10 * (i + 1)), (byte) (10 * (i + 1)), (byte) (10 * (i + 1))};
        }
        ImageStore store = new ImageStore("s", 2, 2, 1, px, labels, List.of("x"));
        Normalization unit = new Normalization(new float[] {0, 0, 0}, new float[] {1, 1, 1});
        FeatureEncoder enc = x -> {
            NDArray mean = x.get(":, 0, :, :").reshape(x.getShape().get(0), -1).mean(new int[] {1}).reshape(-1, 1);
            return mean.concat(mean.mul(2), 1);
        };
        try (NDManager m = NDManager.newBaseManager()) {
            FeatureMatrix raw = new FeatureExtractor(enc, 3).extract(m, store, TestTransform.plain(unit), false);
            assertEquals(7, raw.rows());
            for (int i = 0; i < n; i++) {
                assertArrayEquals(new float[] {10f * (i + 1) / 255, 20f * (i + 1) / 255}, raw.row(i), 1e-6f);
            }
            FeatureMatrix l2 = new FeatureExtractor(enc, 4).extract(m, store, TestTransform.plain(unit), true);
            float s = (float) (1 / Math.sqrt(5));
            assertArrayEquals(new float[] {s, 2 * s}, l2.row(6), 1e-6f);
            assertArrayEquals(raw.rows(2, 5), new FeatureExtractor(enc, 7).extract(m, store,
                    TestTransform.plain(unit), false).rows(2, 5), 0f);
        }
    }
}
