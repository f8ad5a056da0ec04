package org.selfsup.runtime;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.selfsup.method.MethodRegistry;
import org.selfsup.model.ModelSize;
import org.selfsup.model.ModelSpec;
import org.selfsup.model.SslModel;
import org.selfsup.util.UserException;

/**
 * The up-front memory estimate: parameter counts match the published ResNets and a built model, and the
 * check refuses what cannot fit (issue 16 item 5: {@code --batch-size 10000} on the embedded data grew to
 * 9.8 GB before its first step, {@code --width 100000} asked for 360 GB at once) while accepting real
 * recipes on a device with the memory for them.
 */
class MemoryCheckTest {
    private static final long GB = 1_000_000_000L;

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // torchvision's counts without the final fc layer (resnet18: 11,689,512 - 513,000)
        "resnet18, 11176512",
        "resnet34, 21284672",
        "resnet50, 23508032",
        // the CIFAR stem: a 3x3 conv instead of 7x7 (9,408 - 1,728 fewer)
        "resnet18-cifar, 11168832"})
    void backboneParametersMatchThePublishedCounts(String arch, long expected) {
        assertEquals(expected, ModelSize.backboneParameters(MethodRegistry.modelSpec("byol", arch, 64,
                List.of(2, 2, 2, 2), true)));
    }

    @Test
    void onlineParametersMatchABuiltModel() {
        org.selfsup.model.TorchThreads.single();
        ModelSpec spec = MethodRegistry.modelSpec("rsa", "small", 8, List.of(1, 2, 1, 1), true);
        try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu());
             SslModel model = SslModel.create(spec, true, spec.predictor() != null, m, 16, 0)) {
            long built = 0;
            for (Parameter p : model.trainableParameters()) {
                built += p.getArray().size();
            }
            assertEquals(built, ModelSize.onlineParameters(spec));
        }
    }

    /** Configurations against the free memory of their device: refused with one line naming the limit, or run. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            demo, batch 10000, 8 GB host      | small          | 16  | 28  | 10000 | 4 | 8  | refused
            demo, batch 128, 8 GB host        | small          | 16  | 28  | 128   | 4 | 8  | runs
            width 1024, 16 GB host            | small          | 1024| 28  | 128   | 4 | 16 | refused
            image-size 4096, 80 GB GPU        | small          | 16  | 4096| 128   | 4 | 80 | refused
            ImageNet R50 batch 256, 80 GB GPU | resnet50       | 64  | 224 | 256   | 2 | 80 | runs
            ImageNet R50 batch 4096, one GPU  | resnet50       | 64  | 224 | 4096  | 2 | 80 | refused
            CIFAR R18 batch 512, 16 GB GPU    | resnet18-cifar | 64  | 32  | 512   | 2 | 16 | runs
            """)
    void refusesOnlyWhatCannotFit(String label, String arch, int width, int size, int batch, int views, long freeGb,
                                  String verdict) {
        ModelSpec spec = MethodRegistry.modelSpec(views == 4 ? "rsa" : "simsiam", arch, width, List.of(1, 1, 1, 1), true);
        MemoryCheck.Need need = MemoryCheck.Need.of(spec, size, batch, views, views == 4);
        String what = "batch-size " + batch;
        if (verdict.equals("runs")) {
            assertDoesNotThrow(() -> MemoryCheck.require(need, freeGb * GB, what, "gpu(0)"));
        } else {
            UserException e = assertThrows(UserException.class, () -> MemoryCheck.require(need, freeGb * GB, what,
                    "gpu(0)"));
            assertTrue(e.getMessage().startsWith(what + ": training needs at least "), e.getMessage());
            assertTrue(e.getMessage().contains("more than the " + freeGb + ".0 GB free on gpu(0)"), e.getMessage());
            assertEquals(1, e.getMessage().lines().count());
        }
    }
}
