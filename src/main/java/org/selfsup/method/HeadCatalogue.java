package org.selfsup.method;

import java.util.List;
import org.selfsup.model.Backbone;
import org.selfsup.model.HeadSpec;
import org.selfsup.model.ModelSpec;

/**
 * The projection and prediction heads of the code bases the methods come from, each with its source: a
 * method's definition names one ({@code .heads(HeadCatalogue.RSA_CODE)}), so no method borrows another
 * method's file for them. Each gives the model spec (initialisation, zero-init-residual default, projector,
 * predictor) for a backbone; for the {@code small} arch the widths scale with D/512 ({@link Backbone#scaled}).
 */
public enum HeadCatalogue implements MethodDefinition.Heads {
    /**
     * RSA's code (its BYOL and RSA): torchvision init, zero-init-residual by default; projector
     * Linear(D,1024)+BN+ReLU+Linear(1024,128,no bias), predictor 128-1024-128 alike (ResNet-50: 4096/256).
     */
    RSA_CODE("RSA's code (BYOL and RSA)") {
        @Override
        public ModelSpec spec(Backbone b, Boolean zeroInitResidual) {
            int hidden = b.resnet50() ? 4096 : b.scaled(1024);
            int out = b.resnet50() ? 256 : b.scaled(128);
            return b.spec(zeroInitResidual == null || zeroInitResidual, ModelSpec.INIT_TORCHVISION,
                    HeadSpec.twoLayer(hidden, out, false), HeadSpec.twoLayer(hidden, out, false));
        }
    },

    /**
     * lucidrains' byol-pytorch, which DSSL's BYOL code uses (DSSL-BYOL, its BYOL baseline, the heavy-symmetric
     * BYOL baseline): torchvision init; projector and predictor Linear(4096)+BN+ReLU+Linear(256) with biases.
     */
    LUCIDRAINS_BYOL("lucidrains' byol-pytorch (DSSL's BYOL code)") {
        @Override
        public ModelSpec spec(Backbone b, Boolean zeroInitResidual) {
            int hidden = b.scaled(4096);
            int out = b.scaled(256);
            return b.spec(zeroInitResidual != null && zeroInitResidual, ModelSpec.INIT_TORCHVISION,
                    HeadSpec.twoLayer(hidden, out, true), HeadSpec.twoLayer(hidden, out, true));
        }
    },

    /**
     * DSSL's SimSiam code (SimSiam, DSSL-SimSiam, the heavy-symmetric baseline): uniform init; CIFAR-style
     * projector Linear(D,2048)+BN+ReLU+Linear(2048,2048)+BN(affine=False), predictor
     * Linear(2048,512)+BN+ReLU+Linear(512,2048); ResNet-50: three 2048 layers, the last BN affine.
     */
    DSSL_SIMSIAM("DSSL's SimSiam code") {
        @Override
        public ModelSpec spec(Backbone b, Boolean zeroInitResidual) {
            int dim = b.scaled(2048);
            int bottleneck = b.scaled(512);
            HeadSpec projector = b.resnet50()
                    ? new HeadSpec(List.of(
                            new HeadSpec.Layer(dim, true, HeadSpec.Norm.AFFINE, true),
                            new HeadSpec.Layer(dim, true, HeadSpec.Norm.AFFINE, true),
                            new HeadSpec.Layer(dim, true, HeadSpec.Norm.AFFINE, false)))
                    : new HeadSpec(List.of(
                            new HeadSpec.Layer(dim, true, HeadSpec.Norm.AFFINE, true),
                            new HeadSpec.Layer(dim, true, HeadSpec.Norm.PLAIN, false)));
            HeadSpec predictor = HeadSpec.twoLayer(bottleneck, dim, true);
            return b.spec(zeroInitResidual != null && zeroInitResidual, ModelSpec.INIT_UNIFORM, projector, predictor);
        }
    },

    /**
     * The SimCLR paper (v1): projector g(h) = W2 ReLU(W1 h), Linear(D, D)+ReLU+Linear(D, 128), no BatchNorm,
     * torchvision init, no predictor.
     */
    SIMCLR_PAPER("the SimCLR paper (v1)") {
        @Override
        public ModelSpec spec(Backbone b, Boolean zeroInitResidual) {
            int hidden = b.featureDim();
            int out = b.resnet50() ? 128 : b.scaled(128);
            HeadSpec projector = new HeadSpec(List.of(
                    new HeadSpec.Layer(hidden, true, HeadSpec.Norm.NONE, true),
                    new HeadSpec.Layer(out, true, HeadSpec.Norm.NONE, false)));
            return b.spec(zeroInitResidual != null && zeroInitResidual, ModelSpec.INIT_TORCHVISION, projector, null);
        }
    },

    /**
     * Barlow Twins' released code: projector 8192-8192-8192 without biases (Linear+BN+ReLU twice, then
     * Linear), torchvision init, zero-init-residual by default ({@code resnet50(zero_init_residual=True)}).
     */
    BARLOW_TWINS("Barlow Twins' released code") {
        @Override
        public ModelSpec spec(Backbone b, Boolean zeroInitResidual) {
            int w = b.scaled(8192);
            HeadSpec projector = new HeadSpec(List.of(
                    new HeadSpec.Layer(w, false, HeadSpec.Norm.AFFINE, true),
                    new HeadSpec.Layer(w, false, HeadSpec.Norm.AFFINE, true),
                    new HeadSpec.Layer(w, false, HeadSpec.Norm.NONE, false)));
            return b.spec(zeroInitResidual == null || zeroInitResidual, ModelSpec.INIT_TORCHVISION, projector, null);
        }
    },

    /**
     * MoCo v3's released code ({@code moco/builder.py}, {@code _build_mlp}: every Linear without bias, each hidden
     * layer {@code Linear+BN+ReLU}, the last layer {@code Linear+BN(affine=False)} unless {@code last_bn=False}),
     * in its two forms. ResNet ({@code MoCo_ResNet}): projector {@code _build_mlp(2, D, 4096, 256)} = D-4096-256,
     * predictor {@code _build_mlp(2, 256, 4096, 256, False)} = 256-4096-256 without a last BN; torchvision init,
     * zero-init-residual by default ({@code zero_init_residual=True}). ViT ({@code MoCo_ViT}): projector
     * {@code _build_mlp(3, D, 4096, 256)} = D-4096-4096-256, predictor {@code _build_mlp(2, 256, 4096, 256)} with
     * the last BN (affine=False). The heads keep PyTorch's default Linear init in both (they are built after the
     * backbone's init).
     */
    MOCO_V3("MoCo v3's released code") {
        @Override
        public ModelSpec spec(Backbone b, Boolean zeroInitResidual) {
            int hidden = b.scaled(4096);
            int out = b.scaled(256);
            HeadSpec.Layer hiddenLayer = new HeadSpec.Layer(hidden, false, HeadSpec.Norm.AFFINE, true);
            HeadSpec.Layer lastWithBn = new HeadSpec.Layer(out, false, HeadSpec.Norm.PLAIN, false);
            HeadSpec projector = b.isVit()
                    ? new HeadSpec(List.of(hiddenLayer, hiddenLayer, lastWithBn))
                    : new HeadSpec(List.of(hiddenLayer, lastWithBn));
            HeadSpec predictor = b.isVit()
                    ? new HeadSpec(List.of(hiddenLayer, lastWithBn))
                    : new HeadSpec(List.of(hiddenLayer, new HeadSpec.Layer(out, false, HeadSpec.Norm.NONE, false)));
            return b.spec(zeroInitResidual == null || zeroInitResidual, ModelSpec.INIT_TORCHVISION, projector,
                    predictor);
        }
    },

    /**
     * VICReg's released code: expander 8192-8192-8192 (Linear+BN+ReLU twice, then Linear without bias),
     * torchvision init, zero-init-residual by default ({@code resnet50(zero_init_residual=True)}).
     */
    VICREG("VICReg's released code") {
        @Override
        public ModelSpec spec(Backbone b, Boolean zeroInitResidual) {
            int w = b.scaled(8192);
            HeadSpec expander = new HeadSpec(List.of(
                    new HeadSpec.Layer(w, true, HeadSpec.Norm.AFFINE, true),
                    new HeadSpec.Layer(w, true, HeadSpec.Norm.AFFINE, true),
                    new HeadSpec.Layer(w, false, HeadSpec.Norm.NONE, false)));
            return b.spec(zeroInitResidual == null || zeroInitResidual, ModelSpec.INIT_TORCHVISION, expander, null);
        }
    };

    private final String source;

    HeadCatalogue(String source) {
        this.source = source;
    }

    /** The code base or paper the heads come from. */
    public String source() {
        return source;
    }
}
