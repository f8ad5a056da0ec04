package org.selfsup.method;

import ai.djl.ndarray.NDArray;
import org.selfsup.model.Networks;

/**
 * MoCo v3 (Chen, Xie and He, ICCV 2021; the released {@code moco/builder.py}), ResNet and ViT forms: an online
 * encoder (backbone, projector, predictor) and a momentum encoder (EMA of backbone and projector, the
 * trainer's target network). Each view's prediction is contrasted with the other view's momentum key;
 * the other images' keys of the same batch are the negatives (no queue):
 * <pre>
 * ctr(q, k) = CrossEntropy(n(q) n(k)^T / tau, labels = 0..N-1) * 2 tau
 * L         = ctr(q1, k2) + ctr(q2, k1)
 * </pre>
 * tau = 1.0: the released {@code main_moco.py} default ({@code --moco-t 1.0}), which the ResNet-50 commands
 * of its CONFIG.md keep; the ViT commands set 0.2. The heads follow the backbone ({@link HeadCatalogue#MOCO_V3}):
 * with a ResNet {@code MoCo_ResNet}'s (projector D-4096-256, predictor 256-4096-256 without a last BN), with a
 * ViT {@code MoCo_ViT}'s (projector D-4096-4096-256, predictor 256-4096-256 ending in BN(affine=False)); every
 * Linear without bias, hidden layers {@code Linear+BN+ReLU}. The ViT initialisation of the released
 * {@code vits.py} (xavier, fixed 2-D sin-cos position embedding, frozen patch projection) is chosen by the model
 * keys {@code vit-init mocov3}, {@code pos-embed sincos} and {@code frozen-patch-embed}. The momentum
 * (EMA rate) is the trainer's cosine schedule from {@code ema-base} 0.99 to 1, applied before the forward pass.
 */
public final class MocoV3 implements PairwiseObjective {
    /** MoCo v3: views v1, v2 of the byol plan (the paper's views are BYOL's), a momentum (EMA) target. */
    public static final MethodDefinition DEFINITION = MethodDefinition.named("mocov3")
            .summary("MoCo v3 (ResNet or ViT): symmetrised InfoNCE of predictions against the momentum encoder's keys")
            .views("v1", "v2").withTarget().defaultPlan("byol")
            .heads(HeadCatalogue.MOCO_V3)
            .option(MethodOption.positive("moco-t", 1.0, "MoCo v3 InfoNCE temperature tau, the released "
                    + "code's --moco-t (1.0, its default, kept by its ResNet-50 recipes; 0.2 in its ViT recipes)."))
            .loss(o -> new MocoV3(o.get("moco-t")));

    private final double temperature;

    public MocoV3(double temperature) {
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("temperature must be positive: " + temperature);
        }
        this.temperature = temperature;
    }

    @Override
    public MethodDefinition definition() {
        return DEFINITION;
    }

    @Override
    public NDArray output(Networks nets, NDArray projection) {
        return nets.predict(projection);
    }

    /** {@code ctr(q_a, k_b) + ctr(q_b, k_a)}, as {@link #loss}. */
    @Override
    public NDArray symmetric(Networks nets, Branch a, Branch b) {
        return pull(nets, a, b.key()).add(pull(nets, b, a.key()));
    }

    /** {@code ctr(q_a, k)}: the other images' keys of the batch are the negatives. */
    @Override
    public NDArray pull(Networks nets, Branch a, NDArray key) {
        return contrastive(nets, a.output(), key, temperature);
    }

    /**
     * {@code CrossEntropy(n(q) n(k)^T / tau, arange(N)) * 2 tau}, mean over the N queries; {@code k} is
     * detached here.
     */
    static NDArray contrastive(Networks nets, NDArray q, NDArray k, double tau) {
        NDArray infoNce = Losses.infoNce(nets, q, k, tau);
        return infoNce.mul(nets.constant((float) (2 * tau), infoNce));
    }
}
