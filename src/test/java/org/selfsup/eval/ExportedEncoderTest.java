package org.selfsup.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDManager;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfsup.config.TrainConfig;
import org.selfsup.data.Image;
import org.selfsup.data.ImageStore;
import org.selfsup.data.Normalization;
import org.selfsup.data.readers.SyntheticImages;
import org.selfsup.encoder.ExportedEncoder;
import org.selfsup.encoder.TrainedEncoder;
import org.selfsup.method.MethodRegistry;
import org.selfsup.model.ModelSpec;
import org.selfsup.model.SslModel;
import org.selfsup.util.UserException;

class ExportedEncoderTest {
    @TempDir
    Path tmp;

    @Test
    void checkpointToExportReproducesFeatures() throws Exception {
        TrainConfig config = TestCheckpoints.syntheticConfig();
        ModelSpec spec = MethodRegistry.modelSpec("rsa", "small", 8, List.of(1, 1, 1, 1), null);
        ImageStore images = SyntheticImages.generate("syn", 5, 2, 16, 1, 0);
        Path ckpt = tmp.resolve("c.ckpt");
        Normalization norm = Normalization.CIFAR;
        float[] expected;
        try (NDManager m = NDManager.newBaseManager()) {
            try (SslModel model = SslModel.create(spec, true, true, m, 16, 9)) {
                // make BN running statistics non-trivial so the test sees whether they are exported
                model.networks(new ai.djl.training.ParameterStore(m, false))
                        .features(ImageTensors.toBatch(m, List.of(images.rgb(0), images.rgb(1)), norm));
                TestCheckpoints.write(ckpt, config, spec, model, 3);
                expected = new FeatureExtractor(Encoders.backbone(model, m), 5).extract(m, images,
                        TestTransform.plain(norm), false).rows(0, 5);
            }
            try (TrainedEncoder enc = TrainedEncoder.fromCheckpoint(ckpt, m)) {
                assertEquals(16, EvalData.inputSize(enc.config()));
                assertEquals("synthetic", enc.config().dataset);
                float[] loaded = new FeatureExtractor(Encoders.backbone(enc.model(), m), 2).extract(m, images,
                        TestTransform.plain(norm), false).rows(0, 5);
                assertArrayEquals(expected, loaded, 1e-6f);
                ExportedEncoder.Info info = ExportedEncoder.export(enc, ckpt, norm, tmp.resolve("export"));
                assertEquals(64, info.featureDim());
            }
        }
        Path dir = tmp.resolve("export");
        assertTrue(Files.exists(dir.resolve("encoder-0000.params")));
        try (var files = Files.list(tmp)) {
            assertEquals(2, files.count(), "no temporary directory left behind");
        }
        int dim = 64;
        try (Model model = ExportedEncoder.load(dir);
             Predictor<Image, float[]> p = ExportedEncoder.newPredictor(model, dir)) {
            assertEquals("16", model.getProperty("inputSize"));
            for (int i = 0; i < 5; i++) {
                float[] f = p.predict(images.rgb(i));
                assertArrayEquals(java.util.Arrays.copyOfRange(expected, i * dim, (i + 1) * dim), f, 1e-5f);
            }
        }
        // the same directory through DJL's Criteria, given the block
        try (NDManager m = NDManager.newBaseManager()) {
            Criteria<Image, float[]> criteria = Criteria.builder().setTypes(Image.class, float[].class)
                    .optModelPath(dir).optModelName(ExportedEncoder.NAME).optEngine("PyTorch")
                    .optBlock(ExportedEncoder.newBlock(dir, m))
                    .optTranslator(ExportedEncoder.translator(ExportedEncoder.info(dir))).build();
            try (ZooModel<Image, float[]> zoo = criteria.loadModel(); Predictor<Image, float[]> p = zoo.newPredictor()) {
                assertArrayEquals(java.util.Arrays.copyOfRange(expected, 4 * dim, 5 * dim), p.predict(images.rgb(4)),
                        1e-5f);
            }
        }
    }

    @Test
    void badInputsAreUserErrors() throws Exception {
        assertThrows(UserException.class, () -> ExportedEncoder.load(tmp));
    }
}
