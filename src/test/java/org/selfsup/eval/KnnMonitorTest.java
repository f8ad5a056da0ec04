package org.selfsup.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.selfsup.data.ImageStore;
import org.selfsup.data.Normalization;
import org.selfsup.data.readers.SyntheticImages;
import org.selfsup.method.MethodRegistry;
import org.selfsup.model.ModelSpec;
import org.selfsup.model.SslModel;

class KnnMonitorTest {
    @Test
    void evalKnnMeasuresWithTheGeometryTheMonitorUsed() {
        org.selfsup.config.TrainConfig c = new org.selfsup.config.TrainConfig();
        c.dataset = "synthetic";
        org.selfsup.data.Dataset ds = EvalData.load(c, null, null);
        for (String geometry : org.selfsup.config.ConfigKeys.choices("knn-transform")) {
            c.knnTransform = geometry;
            TestTransform monitor = KnnMonitor.transform(c, ds);
            TestTransform evalKnn = KnnMonitor.transform(c.knnTransform, ds, EvalData.inputSize(c));
            for (int i = 0; i < 3; i++) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(monitor.apply(ds.test().rgb(i)).data(),
                        evalKnn.apply(ds.test().rgb(i)).data(), geometry);
            }
        }
        c.knnTransform = "dssl-cifar";
        // dssl-cifar resizes to 36 and crops 32: not the identity of plain
        assertFalse(java.util.Arrays.equals(ds.test().rgb(0).data(),
                KnnMonitor.transform(c, ds).apply(ds.test().rgb(0)).data()));
    }

    @Test
    void scoresEveryTestImageOnSchedule() {
        ImageStore bank = SyntheticImages.generate("syn/train", 40, 3, 16, 1, 0);
        ImageStore test = SyntheticImages.generate("syn/test", 23, 3, 16, 1, 1);
        try (NDManager m = NDManager.newBaseManager();
             SslModel model = SslModel.create(MethodRegistry.modelSpec("rsa", "small", 8, List.of(1, 1, 1, 1), null),
                     false, false, m, 16, 3)) {
            KnnMonitor monitor = new KnnMonitor(bank, test, TestTransform.plain(Normalization.CIFAR), new Knn(), 16,
                    2, 5);
            assertFalse(monitor.due(0));
            assertTrue(monitor.due(1));
            assertFalse(monitor.due(2));
            assertTrue(monitor.due(3));
            assertTrue(monitor.due(4), "the last epoch is always evaluated");
            KnnMonitor watching = monitor.watching(model);
            assertTrue(watching.evaluate(0, 10).isEmpty());
            Map<String, Double> r = watching.evaluate(1, 20);
            double top1 = r.get("knn_top1");
            // 23 images scored: the accuracy is a multiple of 100/23
            assertEquals(Math.round(top1 * 23 / 100.0), top1 * 23 / 100.0, 1e-9);
            // inference mode: evaluating again changes nothing (no BatchNorm statistics drift)
            assertEquals(top1, watching.evaluate(3, 40).get("knn_top1"));
            KnnResult direct = KnnMonitor.evaluate(m, Encoders.backbone(model, m), bank, test,
                    TestTransform.plain(Normalization.CIFAR), new Knn(), 7);
            assertEquals(23, direct.scored());
            assertEquals(40, direct.k(), "k = 200 clamped to the 40-image bank");
            assertEquals(top1, direct.top1(), 1e-9);
            assertFalse(new KnnMonitor(bank, test, TestTransform.plain(Normalization.CIFAR), new Knn(), 16, 0, 5)
                    .due(4), "knn-every 0 = off");
        }
    }

    /** At the run's bf16 precision the monitor scores the same images about as well (features upcast to fp32). */
    @Test
    void bf16MonitorScoresLikeFp32() {
        org.selfsup.model.TorchThreads.single();
        ImageStore bank = SyntheticImages.generate("syn/train", 40, 3, 16, 1, 0);
        ImageStore test = SyntheticImages.generate("syn/test", 23, 3, 16, 1, 1);
        try (NDManager m = NDManager.newBaseManager();
             SslModel model = SslModel.create(MethodRegistry.modelSpec("rsa", "small", 8, List.of(1, 1, 1, 1), null),
                     false, false, m, 16, 3)) {
            KnnMonitor fp32 = new KnnMonitor(bank, test, TestTransform.plain(Normalization.CIFAR), new Knn(), 16, 1, 1);
            KnnResult a = fp32.evaluate(model);
            KnnResult b = fp32.atPrecision(org.selfsup.runtime.Precision.BF16).evaluate(model);
            assertEquals(23, b.scored());
            assertTrue(Math.abs(a.top1() - b.top1()) <= 3 * 100.0 / 23 + 1e-9, a.top1() + " vs " + b.top1());
            assertFalse(org.selfsup.natives.LibTorch.get().isAutocastEnabled(org.selfsup.natives.LibTorch.DEVICE_CPU));
        }
    }
}
