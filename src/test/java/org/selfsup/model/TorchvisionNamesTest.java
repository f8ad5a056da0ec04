package org.selfsup.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.selfsup.method.MethodRegistry;

class TorchvisionNamesTest {
    @BeforeAll
    static void singleThreaded() {
        TorchThreads.single();
    }

    /** The generated DJL paths are exactly the model's parameters, so the mapping cannot drift from ResNet/Mlp. */
    @Test
    void coversEveryParameterOfEveryArchAndHead() {
        for (String method : List.of("byol", "simsiam", "dssl-byol")) {
            for (String arch : List.of("resnet18-cifar", "resnet50", "small")) {
                ModelSpec spec = MethodRegistry.modelSpec(method, arch);
                try (NDManager m = NDManager.newBaseManager();
                     SslModel model = SslModel.create(spec, false, true, m, 32, 0)) {
                    Map<String, String> names = TorchvisionNames.withHeads(spec).toTorch();
                    TreeSet<String> actual = new TreeSet<>(model.namedParameters().keySet());
                    // frozen gamma/beta of non-affine BatchNorm (SimSiam's projector end) have no PyTorch tensor
                    actual.removeIf(k -> !names.containsKey(k) && (k.endsWith("_gamma") || k.endsWith("_beta"))
                            && !model.namedParameters().get(k).requiresGradient());
                    assertEquals(actual, new TreeSet<>(names.keySet()), method + " " + arch);
                    assertEquals(names.size(), new TreeSet<>(names.values()).size(), "names are unique");
                }
            }
        }
    }

    @Test
    void resnet18NamesAreTorchvisions() {
        ModelSpec spec = MethodRegistry.modelSpec("byol", "resnet18-cifar");
        TorchvisionNames names = TorchvisionNames.backbone(spec);
        Map<String, String> t = names.toTorch();
        assertEquals("conv1.weight", t.get("backbone/01Conv2d_weight"));
        assertEquals("bn1.running_mean", t.get("backbone/02BatchNorm_runningMean"));
        assertEquals("layer1.0.conv1.weight", t.get("backbone/04ParallelBlock_01SequentialBlock_01Conv2d_weight"));
        assertEquals("layer1.1.bn2.bias", t.get("backbone/05ParallelBlock_01SequentialBlock_05BatchNorm_beta"));
        assertEquals("layer2.0.downsample.0.weight", t.get("backbone/06ParallelBlock_02SequentialBlock_01Conv2d_weight"));
        assertEquals("layer2.0.downsample.1.running_var",
                t.get("backbone/06ParallelBlock_02SequentialBlock_02BatchNorm_runningVar"));
        // torchvision resnet18: 120 entries without fc, 20 of them num_batches_tracked (one per BatchNorm)
        assertEquals(20, names.batchNorms().size());
        assertEquals(20 + 20 * 4, t.size());
        assertTrue(t.values().stream().noneMatch(n -> n.startsWith("fc.")));
    }

    @Test
    void resnet50HasBottlenecksAndImagenetStem() {
        Map<String, String> t = TorchvisionNames.backbone(MethodRegistry.modelSpec("byol", "resnet50")).toTorch();
        assertEquals("layer1.0.conv3.weight", t.get("backbone/05ParallelBlock_01SequentialBlock_07Conv2d_weight"));
        assertEquals("layer1.0.downsample.0.weight", t.get("backbone/05ParallelBlock_02SequentialBlock_01Conv2d_weight"));
        assertEquals("layer4.2.bn3.weight", t.get("backbone/20ParallelBlock_01SequentialBlock_08BatchNorm_gamma"));
        // torchvision resnet50 state_dict: 320 entries, 318 without fc, 53 of them num_batches_tracked
        assertEquals(318 - 53, t.size());
    }

    @Test
    void headsAreSequentialIndices() {
        ModelSpec spec = MethodRegistry.modelSpec("simsiam", "resnet18-cifar");
        Map<String, String> t = TorchvisionNames.withHeads(spec).toTorch();
        assertEquals("projector.0.weight", t.get("projector/01Linear_weight"));
        assertEquals("projector.1.weight", t.get("projector/02BatchNorm_gamma"));
        assertEquals("projector.4.running_var", t.get("projector/05BatchNorm_runningVar"));
        assertEquals(null, t.get("projector/05BatchNorm_gamma"), "BatchNorm1d(affine=False) has no weight");
        assertEquals("predictor.3.bias", t.get("predictor/04Linear_bias"));
    }
}
