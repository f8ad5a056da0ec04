package org.selfsup.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.selfsup.method.MethodRegistry;
import org.selfsup.util.UserException;

class ModelSpecTest {
    static HeadSpec.Layer layer(int out, boolean bias, HeadSpec.Norm norm, boolean relu) {
        return new HeadSpec.Layer(out, bias, norm, relu);
    }

    @Test
    void rsaAndByolHeadsFollowRsaCode() {
        ModelSpec r18 = MethodRegistry.modelSpec("rsa", "resnet18-cifar");
        assertEquals(List.of(layer(1024, true, HeadSpec.Norm.AFFINE, true), layer(128, false, HeadSpec.Norm.NONE, false)),
                r18.projector().layers());
        assertEquals(r18.projector(), r18.predictor());
        assertTrue(r18.zeroInitResidual());
        assertEquals(ModelSpec.INIT_TORCHVISION, r18.init());
        assertEquals(512, r18.featureDim());
        ModelSpec r50 = MethodRegistry.modelSpec("byol", "resnet50");
        assertEquals(List.of(layer(4096, true, HeadSpec.Norm.AFFINE, true), layer(256, false, HeadSpec.Norm.NONE, false)),
                r50.projector().layers());
        assertEquals(2048, r50.featureDim());
        assertEquals(List.of(3, 4, 6, 3), r50.blocks());
    }

    @Test
    void simSiamFamilyHeadsFollowDsslCode() {
        for (String method : List.of("simsiam", "dssl-simsiam", "heavy-symmetric")) {
            ModelSpec cifar = MethodRegistry.modelSpec(method, "resnet18-cifar");
            assertEquals(List.of(layer(2048, true, HeadSpec.Norm.AFFINE, true), layer(2048, true, HeadSpec.Norm.PLAIN, false)),
                    cifar.projector().layers(), method);
            assertEquals(List.of(layer(512, true, HeadSpec.Norm.AFFINE, true), layer(2048, true, HeadSpec.Norm.NONE, false)),
                    cifar.predictor().layers(), method);
            assertFalse(cifar.zeroInitResidual());
            assertEquals(ModelSpec.INIT_UNIFORM, cifar.init());
        }
        ModelSpec imagenet = MethodRegistry.modelSpec("dssl-simsiam", "resnet50");
        assertEquals(List.of(layer(2048, true, HeadSpec.Norm.AFFINE, true), layer(2048, true, HeadSpec.Norm.AFFINE, true),
                layer(2048, true, HeadSpec.Norm.AFFINE, false)), imagenet.projector().layers());
        ModelSpec byol = MethodRegistry.modelSpec("dssl-byol", "resnet50");
        assertEquals(List.of(layer(4096, true, HeadSpec.Norm.AFFINE, true), layer(256, true, HeadSpec.Norm.NONE, false)),
                byol.projector().layers());
        assertEquals(ModelSpec.INIT_TORCHVISION, byol.init());
        assertFalse(byol.zeroInitResidual());
    }

    @Test
    void dsslByolBaselinesHaveLucidrainsBiasedHeads() {
        List<HeadSpec.Layer> biased = List.of(layer(4096, true, HeadSpec.Norm.AFFINE, true),
                layer(256, true, HeadSpec.Norm.NONE, false));
        for (String method : List.of("dssl-byol", "dssl-byol-baseline", "heavy-symmetric-byol")) {
            ModelSpec r50 = MethodRegistry.modelSpec(method, "resnet50");
            assertEquals(biased, r50.projector().layers(), method);
            assertEquals(biased, r50.predictor().layers(), method);
            assertEquals(ModelSpec.INIT_TORCHVISION, r50.init(), method);
            assertFalse(r50.zeroInitResidual(), method);
        }
        // RSA's BYOL is the other BYOL: bias-free output layers
        assertFalse(MethodRegistry.modelSpec("byol", "resnet50").projector().layers().get(1).bias());
    }

    @Test
    void smallHeadsScaleWithTheFeatureWidth() {
        ModelSpec small = MethodRegistry.modelSpec("rsa", "small", 16, List.of(1, 1, 1, 1), false);
        assertEquals(128, small.featureDim());
        assertEquals(256, small.projector().layers().get(0).out());
        assertEquals(32, small.projector().outDim());
        assertFalse(small.zeroInitResidual());
        ModelSpec simsiam = MethodRegistry.modelSpec("simsiam", "small", 16, List.of(2, 1, 1, 1), null);
        assertEquals(512, simsiam.projector().outDim());
        assertEquals(128, simsiam.predictor().layers().get(0).out());
        assertEquals(List.of(2, 1, 1, 1), simsiam.blocks());
        // Standard architectures ignore width/blocks.
        assertEquals(64, MethodRegistry.modelSpec("rsa", "resnet18", 16, List.of(1, 1, 1, 1), null).width());
    }

    @Test
    void everyRegisteredMethodHasASpec() {
        for (String method : MethodRegistry.NAMES) {
            for (String arch : ModelSpec.ARCHS) {
                ModelSpec spec = MethodRegistry.modelSpec(method, arch);
                if (spec.predictor() != null) { // a predictor maps a projection back to the projection space
                    assertEquals(spec.projector().outDim(), spec.predictor().outDim(), method + " " + arch);
                }
            }
        }
    }

    @Test
    void badNamesAreUserErrorsNamingTheKey() {
        UserException arch = assertThrows(UserException.class, () -> MethodRegistry.modelSpec("rsa", "vgg16"));
        assertTrue(arch.getMessage().startsWith("arch: unknown 'vgg16'"), arch.getMessage());
        UserException method = assertThrows(UserException.class, () -> MethodRegistry.modelSpec("moco", "small"));
        assertTrue(method.getMessage().startsWith("method: unknown 'moco'"), method.getMessage());
        UserException blocks = assertThrows(UserException.class,
                () -> MethodRegistry.modelSpec("rsa", "small", 8, List.of(1, 1), null));
        assertTrue(blocks.getMessage().startsWith("blocks:"), blocks.getMessage());
        assertThrows(UserException.class, () -> MethodRegistry.modelSpec("rsa", "small", 0, List.of(1, 1, 1, 1), null));
    }

    @Test
    void jsonRoundTrip() throws Exception {
        ObjectMapper json = new ObjectMapper();
        for (ModelSpec spec : List.of(MethodRegistry.modelSpec("dssl-simsiam", "small", 8, List.of(1, 2, 1, 1), null),
                MethodRegistry.modelSpec("rsa", "resnet50"), MethodRegistry.modelSpec("rsa", "small").withoutPredictor())) {
            String text = json.writeValueAsString(spec);
            assertEquals(spec, json.readValue(text, ModelSpec.class), text);
            assertFalse(text.contains("featureDim"), text);
        }
        assertNull(json.readValue(json.writeValueAsString(MethodRegistry.modelSpec("rsa", "small").withoutPredictor()),
                ModelSpec.class).predictor());
    }
}
