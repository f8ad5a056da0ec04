package org.selfsup.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.selfsup.method.MethodRegistry;
import org.selfsup.model.ModelSpec;
import org.selfsup.model.SslModel;
import org.selfsup.runtime.Precision;

/** The kNN monitor and the probe share one frozen encoder, run at the run's precision with float32 features. */
class EncodersPrecisionTest {
    @Test
    void bf16FeaturesAreFloat32AndCloseToButNotTheFp32Ones() {
        ModelSpec spec = MethodRegistry.modelSpec("byol", "small", 8, List.of(1, 1, 1, 1), false);
        try (NDManager m = NDManager.newBaseManager(); SslModel model = SslModel.create(spec, true, true, m, 16, 3)) {
            NDArray x = m.randomUniform(0, 1, new Shape(4, 3, 16, 16), DataType.FLOAT32, m.getDevice());
            float[] fp32 = Encoders.backbone(model, m, Precision.FP32).encode(x).toFloatArray();
            NDArray bf = Encoders.backbone(model, m, Precision.BF16).encode(x);
            assertEquals(DataType.FLOAT32, bf.getDataType());
            float[] bf16 = bf.toFloatArray();
            assertNotEquals(java.util.Arrays.toString(fp32), java.util.Arrays.toString(bf16),
                    "bf16 autocast must change the arithmetic");
            double num = 0;
            double den = 0;
            for (int i = 0; i < fp32.length; i++) {
                num += (fp32[i] - bf16[i]) * (double) (fp32[i] - bf16[i]);
                den += fp32[i] * (double) fp32[i];
            }
            assertTrue(Math.sqrt(num / den) < 0.05, "relative difference " + Math.sqrt(num / den));
        }
    }
}
