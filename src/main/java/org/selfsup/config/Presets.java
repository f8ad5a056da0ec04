package org.selfsup.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The named presets, after the original commands of the RSA and DSSL repositories (methods.md §2.10,
 * §2.11, §3.3-3.6), plus {@code demo} for two CPU cores. Each preset sets every key that matters for
 * its method, so its values can be read here without the base defaults.
 *
 * <p>Project fixes apply to all of them (methods.md "Project decisions"): the linear learning-rate
 * scaling is floating point ({@code lr * B / 256}, never 0 below B = 256), and no epoch runs at lr 0.
 */
public final class Presets {
    private Presets() {}

    /** The preset used when none is given. */
    public static final String DEFAULT = "demo";

    /** RSA's train_single.py defaults (methods.md §2.8 single GPU, §2.10): CIFAR-10, no README command. */
    private static final Preset RSA_CIFAR10 = Preset.builder("rsa-cifar10",
                    "RSA, ResNet-18 (CIFAR stem) on CIFAR-10, 200 epochs, batch 256",
                    "methods.md §2.8 (single GPU), §2.10 train_single.py defaults, §2.11 (CIFAR-10: script defaults)")
            .set("method", "rsa").set("plan", "rsa")
            .set("dataset", "cifar10").set("image-size", 32)
            .set("crop-scale-min", 0.2).set("crop-scale-max", 1.0)
            .set("arch", "resnet18-cifar").set("zero-init-residual", true)
            .set("epochs", 200).set("batch-size", 256)
            .set("lr", 0.1).set("lr-scaling", "linear")
            .set("optimizer", "sgd").set("momentum", 0.9).set("nesterov", false).set("weight-decay", 5e-4)
            .set("lr-schedule", "cosine-epoch").set("warmup-epochs", 0)
            .set("beta", 0.4)
            .set("ema-base", 0.99).set("ema-schedule", "cosine").set("ema-timing", "before-forward")
            .set("knn-k", 200).set("knn-t", 0.1).set("knn-every", 0).set("knn-transform", "plain")
            .set("probe", "cifar")
            .build();

    private static final Preset RSA_CIFAR100 = Preset.builder("rsa-cifar100",
                    "RSA on CIFAR-100 with beta0 0.3 (README command)",
                    "methods.md §2.11: train_single.py --dataset cifar100 --beta 0.3")
            .from(RSA_CIFAR10).set("dataset", "cifar100").set("beta", 0.3).build();

    private static final Preset RSA_STL10 = Preset.builder("rsa-stl10",
                    "RSA on STL-10 train+unlabeled (105k images), 64 px crops",
                    "methods.md §2.11: train_single.py --dataset stl10; §2.2 (S = 64); §2.8 (train+unlabeled)")
            .from(RSA_CIFAR10).set("dataset", "stl10").set("image-size", 64).build();

    private static final Preset RSA_TINYIMAGENET = Preset.builder("rsa-tinyimagenet",
                    "RSA on Tiny-ImageNet-200 (official folder layout), 64 px crops; train_single.py defaults "
                            + "(the paper's hyper-parameters for it are not in the repository)",
                    "methods.md §2.8 (single GPU; Tiny-IN read from LMDB there), §1.3 (normalisation), §2.11 "
                            + "(no README command)")
            .from(RSA_CIFAR10).set("dataset", "tinyimagenet").set("image-size", 64).build();

    private static final Preset RSA_IMAGENET100 = Preset.builder("rsa-imagenet100",
                    "RSA, ResNet-50 on ImageNet-100 (image folder), batch 256, SGD lr 0.2",
                    "methods.md §2.8 (multi GPU, ImageNet-100 column), §2.10 train_multi.py, §2.11")
            .from(RSA_CIFAR10)
            .set("dataset", "imagefolder").set("image-size", 224)
            .set("arch", "resnet50").set("zero-init-residual", true)
            .set("batch-size", 256).set("lr", 0.2).set("weight-decay", 1e-4)
            .set("lr-schedule", "warmup-cosine-step").set("warmup-epochs", 0)
            .set("precision", "fp32") // train_multi.py's --amp is off by default
            .set("probe", "msf")
            .build();

    private static final Preset RSA_IMAGENET1K = Preset.builder("rsa-imagenet1k",
                    "RSA, ResNet-50 on ImageNet-1K, LARS lr 0.6 x 2048/256 = 4.8, 10 warm-up epochs",
                    "methods.md §2.8 (multi GPU, ImageNet-1K column), §2.11: train_multi.py --lr 0.6 --wd 1e-6 "
                            + "--batch-size 2048 --warmup-epochs 10; fp16 because the paper says IN-1K used AMP "
                            + "(torch.cuda.amp: float16 autocast + GradScaler) on 8x V100, though the README command "
                            + "omits --amp")
            .from(RSA_IMAGENET100)
            .set("optimizer", "lars").set("lr", 0.6).set("batch-size", 2048).set("weight-decay", 1e-6)
            .set("warmup-epochs", 10)
            .set("precision", "fp16")
            .build();

    private static final Preset BYOL_CIFAR10 = Preset.builder("byol-cifar10",
                    "BYOL baseline of the RSA repository on aggressive pairs (--augs aa), CIFAR-10",
                    "methods.md §2.2 (aa pairs; the default ma would train BYOL on weak views), §2.4, §2.8, §2.10")
            .from(RSA_CIFAR10).set("method", "byol").set("plan", "byol").build();

    /** DSSL simsiam_cifar10/run.py (methods.md §3.3, §3.6). */
    private static final Preset DSSL_SIMSIAM_CIFAR10 = Preset.builder("dssl-simsiam-cifar10",
                    "DSSL main table, CIFAR-10 SimSiam 'w/ DSSL' row (94.5): DSSL + SimSiam, RandAugment(2, 9) "
                            + "heavy views, 800 epochs, batch 512, lr 0.03 x 512/256 = 0.06",
                    "methods.md §3.3, §3.6 simsiam_cifar10/run.py (base_lr 0.03, warmup 10, soft_loss_rate 0.1, "
                            + "eval_freq 1)")
            .set("method", "dssl-simsiam").set("plan", "dssl-cifar")
            .set("dataset", "cifar10").set("image-size", 32)
            .set("crop-scale-min", 0.2).set("crop-scale-max", 1.0)
            .set("arch", "resnet18-cifar").set("zero-init-residual", false)
            .set("epochs", 800).set("batch-size", 512)
            .set("lr", 0.03).set("lr-scaling", "linear")
            .set("optimizer", "sgd").set("momentum", 0.9).set("nesterov", false).set("weight-decay", 5e-4)
            .set("lr-schedule", "dssl-epoch").set("warmup-epochs", 10)
            .set("soft-loss-rate", 0.1)
            .set("randaug-n", 2).set("randaug-m", 9).set("relative-magnitudes", false)
            .set("knn-k", 200).set("knn-t", 0.1).set("knn-every", 1).set("knn-transform", "dssl-cifar")
            .set("probe", "dssl-cifar")
            .build();

    private static final Preset SIMSIAM_CIFAR10 = Preset.builder("simsiam-cifar10",
                    "DSSL main table, CIFAR-10 SimSiam 'repro.' row (92.1): SimSiam with DSSL's standard views "
                            + "and optimisation, no heavy views",
                    "methods.md §3.3 (standard view t, optimisation), §3.6; the baseline has no command of its own")
            .from(DSSL_SIMSIAM_CIFAR10).set("method", "simsiam").set("plan", "simsiam").build();

    /** DSSL simsiam_imagenet/run.py (methods.md §3.4, §3.6). */
    private static final Preset DSSL_SIMSIAM_IMAGENET = Preset.builder("dssl-simsiam-imagenet",
                    "DSSL main table, ImageNet SimSiam 'w/ DSSL' row (68.6): DSSL + SimSiam, ResNet-50 (list file), "
                            + "batch 512, lr 0.1 unscaled, 100 epochs",
                    "methods.md §3.4, §3.6 simsiam_imagenet/run.py (--lr 0.1 --batch_size 512 --epoch 100 --cos)")
            .set("method", "dssl-simsiam").set("plan", "dssl-imagenet")
            .set("dataset", "listfile").set("image-size", 224)
            .set("crop-scale-min", 0.2).set("crop-scale-max", 1.0)
            .set("arch", "resnet50").set("zero-init-residual", false)
            .set("epochs", 100).set("batch-size", 512)
            .set("lr", 0.1).set("lr-scaling", "none")
            .set("optimizer", "sgd").set("momentum", 0.9).set("nesterov", false).set("weight-decay", 1e-4)
            .set("lr-schedule", "cosine-epoch").set("warmup-epochs", 0)
            .set("soft-loss-rate", 0.0)
            .set("randaug-n", 2).set("randaug-m", 9).set("grid", 4).set("relative-magnitudes", false)
            .set("knn-every", 0).set("knn-transform", "plain")
            .set("precision", "fp32") // methods.md §3.4-3.6 list no mixed precision for DSSL's run.py
            .set("probe", "dssl-imagenet")
            .build();

    /** DSSL byol_harder-aug_imagenet/run.py (methods.md §3.5, §3.6). */
    private static final Preset DSSL_BYOL_IMAGENET = Preset.builder("dssl-byol-imagenet",
                    "DSSL Table 3, ImageNet T^ = RA(8, 16) 'BYOL w/ DSSL' row (67.8): DSSL + BYOL, ResNet-50, "
                            + "harder views RandAugment(8, 16), EMA 0.99 constant",
                    "methods.md §3.5, §3.6 byol_harder-aug_imagenet/run.py (--hard_N 8 --hard_M 16 --grid 4)")
            .from(DSSL_SIMSIAM_IMAGENET)
            .set("method", "dssl-byol").set("plan", "dssl-byol-harder")
            .set("hard-n", 8).set("hard-m", 16)
            .set("ema-base", 0.99).set("ema-schedule", "constant").set("ema-timing", "after-step")
            .set("zero-init-residual", false)
            .build();

    /** DSSL's BYOL baseline: byol_harder-aug_imagenet without the directional terms (methods.md §3.5, §3.7). */
    private static final Preset BYOL_DSSL_IMAGENET = Preset.builder("byol-dssl-imagenet",
                    "DSSL Table 3, ImageNet T^ = RA(8, 16) 'BYOL (repro.)' row (67.8): BYOL as in DSSL's code "
                            + "(dssl-byol-baseline), ResNet-50, only the standard views RandAugment(2, 9) then t, "
                            + "EMA 0.99 constant after the step",
                    "methods.md §3.5 (views, network, EMA, optimisation), §3.7 (Table 3), §3.8 quirks 7 and 10; "
                            + "dssl-byol-imagenet's settings, the baseline has no command of its own")
            .from(DSSL_BYOL_IMAGENET)
            .set("method", "dssl-byol-baseline").set("plan", "dssl-byol-standard")
            .build();

    /** Table 3's "BYOL w/ T^" row: the harder views under DSSL-code BYOL's symmetric loss (HeavySymmetric). */
    private static final Preset BYOL_HEAVY_IMAGENET = Preset.builder("byol-heavy-imagenet",
                    "DSSL Table 3, ImageNet T^ = RA(8, 16) 'BYOL w/ T^' row (60.6): DSSL-code BYOL with the "
                            + "harder views under the symmetric loss (heavy-symmetric-byol, our reading)",
                    "methods.md §3.7 (Table 3), §3.5 (views, network, EMA, optimisation); the row has no released "
                            + "code")
            .from(DSSL_BYOL_IMAGENET)
            .set("method", "heavy-symmetric-byol").set("plan", "dssl-byol-harder")
            .build();

    /** The naive "w/ T^" rows: heavy views with the ordinary symmetric loss (methods.md §3.7, HeavySymmetric). */
    private static final Preset SIMSIAM_HEAVY_CIFAR10 = Preset.builder("simsiam-heavy-cifar10",
                    "DSSL main table, CIFAR-10 SimSiam 'w/ T^' row (reported: collapse): SimSiam with the "
                            + "RandAugment(2, 9) heavy views under the symmetric loss (heavy-symmetric, our reading)",
                    "methods.md §3.7 (main table), §3.3 (views, optimisation); the row has no released code")
            .from(DSSL_SIMSIAM_CIFAR10).set("method", "heavy-symmetric").set("plan", "dssl-cifar").build();

    /** DSSL's ImageNet SimSiam baseline: simsiam_imagenet's recipe without heavy views (methods.md §3.4). */
    private static final Preset SIMSIAM_IMAGENET = Preset.builder("simsiam-imagenet",
                    "DSSL main table, ImageNet SimSiam 'repro.' row (67.4): SimSiam, ResNet-50, DSSL-ImageNet "
                            + "standard views (plan byol: crop, flip, jitter, grey, blur), lr 0.1, batch 512, 100 epochs",
                    "methods.md §3.4 (standard t, network, optimisation, probe), §3.7; baseline without a command")
            .from(DSSL_SIMSIAM_IMAGENET).set("method", "simsiam").set("plan", "byol").build();

    private static final Preset SIMSIAM_HEAVY_IMAGENET = Preset.builder("simsiam-heavy-imagenet",
                    "DSSL main table, ImageNet SimSiam 'w/ T^' row (reported: collapse): SimSiam with the "
                            + "RandAugment(2, 9)/GridShuffle heavy views under the symmetric loss (our reading)",
                    "methods.md §3.7 (main table), §3.4 (views, optimisation); the row has no released code")
            .from(DSSL_SIMSIAM_IMAGENET).set("method", "heavy-symmetric").set("plan", "dssl-imagenet").build();

    /**
     * VICReg's ImageNet recipe (Bardes et al. 2022, §4.1 and appendix C) on CIFAR-10: the paper has no
     * CIFAR pre-training recipe, so its hyper-parameters are kept as they are (docs/methods.md §7.1).
     */
    private static final Preset VICREG_CIFAR10 = Preset.builder("vicreg-cifar10",
                    "VICReg, ResNet-18 (CIFAR stem) on CIFAR-10 with the paper's ImageNet recipe unchanged: "
                            + "lambda = mu = 25, nu = 1, 8192x3 expander, LARS base lr 0.2 x 2048/256, wd 1e-6, "
                            + "batch 2048, 1000 epochs, 10 warm-up epochs, cosine",
                    "docs/methods.md §7.1: VICReg paper §4.1 and appendix C (coefficients, expander, LARS, base lr "
                            + "0.2 scaled by B/256, wd 1e-6, batch 2048, 1000 epochs, 10 warm-up epochs); crops "
                            + "0.08-1 as BYOL's views")
            .from(RSA_CIFAR10)
            .set("method", "vicreg").set("plan", "byol")
            .set("crop-scale-min", 0.08).set("crop-scale-max", 1.0)
            .set("arch", "resnet18-cifar").set("zero-init-residual", true)
            .set("epochs", 1000).set("batch-size", 2048)
            .set("optimizer", "lars").set("lr", 0.2).set("lr-scaling", "linear").set("momentum", 0.9)
            .set("nesterov", false).set("weight-decay", 1e-6)
            .set("lr-schedule", "warmup-cosine-step").set("warmup-epochs", 10)
            .set("vicreg-invariance", 25.0).set("vicreg-variance", 25.0).set("vicreg-covariance", 1.0)
            .build();

    /** Barlow Twins' ImageNet recipe (Zbontar et al. 2021, §2 "Implementation details") on CIFAR-10. */
    private static final Preset BARLOW_TWINS_CIFAR10 = Preset.builder("barlow-twins-cifar10",
                    "Barlow Twins, ResNet-18 (CIFAR stem) on CIFAR-10 with the paper's ImageNet recipe unchanged: "
                            + "lambda 5e-3, 8192x3 projector, LARS lr 0.2 x 2048/256 (one lr for weights and biases), "
                            + "wd 1.5e-6, batch 2048, 1000 epochs, 10 warm-up epochs, cosine",
                    "docs/methods.md §7.2: Barlow Twins paper §2 implementation details (lambda 5e-3, projector "
                            + "8192-8192-8192, LARS, lr 0.2 for weights, wd 1.5e-6, batch 2048, 1000 epochs, 10 "
                            + "warm-up epochs, cosine decay); crops 0.08-1 as BYOL's views")
            .from(VICREG_CIFAR10)
            .set("method", "barlow-twins")
            .set("weight-decay", 1.5e-6)
            .set("barlow-lambda", 5e-3)
            .build();

    /** MoCo v3's ResNet-50 100-epoch command (CONFIG.md of its repository, main_moco.py defaults) on CIFAR-10. */
    private static final Preset MOCOV3_CIFAR10 = Preset.builder("mocov3-cifar10",
                    "MoCo v3, ResNet-18 (CIFAR stem) on CIFAR-10 with the released ResNet-50 100-epoch command "
                            + "unchanged: tau 1.0, momentum 0.99 -> 1 (cosine), LARS lr 0.6 x 4096/256, wd 1e-6, "
                            + "batch 4096, 100 epochs, 10 warm-up epochs, crops 0.2-1",
                    "docs/methods.md §7.3: moco-v3 CONFIG.md 'ResNet-50, 100-epoch pre-training' (--moco-m-cos "
                            + "--crop-min=.2) with main_moco.py defaults (lr 0.6, batch 4096, wd 1e-6, lars, "
                            + "warmup 10, moco-m 0.99, moco-t 1.0, dim 256, mlp-dim 4096)")
            .from(RSA_CIFAR10)
            .set("method", "mocov3").set("plan", "byol")
            .set("crop-scale-min", 0.2).set("crop-scale-max", 1.0)
            .set("arch", "resnet18-cifar").set("zero-init-residual", true)
            .set("epochs", 100).set("batch-size", 4096)
            .set("optimizer", "lars").set("lr", 0.6).set("lr-scaling", "linear").set("momentum", 0.9)
            .set("nesterov", false).set("weight-decay", 1e-6)
            .set("lr-schedule", "warmup-cosine-step").set("warmup-epochs", 10)
            .set("ema-base", 0.99).set("ema-schedule", "cosine").set("ema-timing", "before-forward")
            .set("moco-t", 1.0)
            .build();

    /**
     * MoCo v3's ViT-Small ImageNet recipe (CONFIG.md "ViT-Small, 4-node (32-GPU) pre-training", main_moco.py
     * defaults, builder.py MoCo_ViT, vits.py vit_small); docs/methods.md §7.3 gives every value's source.
     */
    private static final Preset MOCOV3_IMAGENET_VIT_S16 = Preset.builder("mocov3-imagenet-vit-s16",
                    "MoCo v3, ViT-S/16 (12 heads, as MoCo v3's vit_small) on ImageNet (image folder) at 224 px, the "
                            + "released ViT-Small command: AdamW lr 1.5e-4 x 4096/256, wd 0.1, batch 4096, 300 epochs, "
                            + "40 warm-up epochs then cosine, tau 0.2, momentum 0.99 -> 1 (cosine), frozen random patch "
                            + "projection, fixed sin-cos positions, vits.py init, crops 0.08-1, fp16 autocast",
                    "docs/methods.md §7.3: moco-v3 CONFIG.md 'ViT-Small' (-a vit_small --optimizer=adamw --lr=1.5e-4 "
                            + "--weight-decay=.1 --epochs=300 --warmup-epochs=40 --stop-grad-conv1 --moco-m-cos "
                            + "--moco-t=.2, batch 4096 by default), main_moco.py defaults (moco-m 0.99, crop-min 0.08, "
                            + "AdamW betas 0.9/0.999, autocast + GradScaler), vits.py (vit_small, VisionTransformerMoCo "
                            + "init, 2-D sin-cos positions), builder.py MoCo_ViT heads; plan byol stands in for BYOL's "
                            + "asymmetric pair")
            .from(MOCOV3_CIFAR10)
            .set("method", "mocov3").set("plan", "byol")
            .set("dataset", "imagefolder").set("image-size", 224)
            .set("crop-scale-min", 0.08).set("crop-scale-max", 1.0)
            .set("arch", "vit-small").set("attention-heads", 12).set("patch-size", 16).set("pooling", "cls")
            .set("frozen-patch-embed", true).set("vit-init", "mocov3").set("pos-embed", "sincos")
            .set("epochs", 300).set("batch-size", 4096)
            .set("optimizer", "adamw").set("lr", 1.5e-4).set("lr-scaling", "linear").set("momentum", 0.9)
            .set("adam-beta2", 0.999).set("weight-decay", 0.1).set("clip-grad", 0.0)
            .set("lr-schedule", "warmup-cosine-step").set("warmup-epochs", 40)
            .set("ema-base", 0.99).set("ema-schedule", "cosine").set("ema-timing", "before-forward")
            .set("moco-t", 0.2)
            .set("precision", "fp16")
            .set("knn-every", 0).set("knn-transform", "plain").set("probe", "")
            .build();

    /** Small enough for two CPU cores; recipe of platform.md's Fashion-MNIST reference runs. */
    private static final Preset DEMO = Preset.builder("demo",
                    "RSA on the embedded Fashion-MNIST subset, small ResNet, a few minutes on 2 CPU cores",
                    "RSA single-GPU recipe (methods.md §2.8) scaled down; platform.md Fashion-MNIST reference")
            .from(RSA_CIFAR10)
            .set("dataset", "fashion-mnist").set("data-dir", "").set("image-size", 28)
            .set("arch", "small").set("width", 16).set("blocks", List.of(1, 1, 1, 1))
            .set("batch-size", 128).set("epochs", 15)
            .set("knn-every", 5).set("checkpoint-every", 5).set("log-every", 10)
            .set("probe", "fast")
            .build();

    /**
     * RSA with a ViT-T/4 on CIFAR-10: rsa-cifar10's views, method and schedules of beta and the EMA, trained as the
     * ViT papers train (DINO, MoCo v3): AdamW with decoupled decay skipping biases, norms, class token and
     * position embeddings, linear warm-up then a per-step cosine, gradient-norm clipping. Neither RSA nor BYOL was
     * published with a ViT; the hyper-parameters are a starting point, not a reproduction.
     */
    private static final Preset RSA_CIFAR10_VIT = Preset.builder("rsa-cifar10-vit-t4",
                    "RSA with a ViT-Tiny, 4 px patches (8x8 tokens + class token) on CIFAR-10: AdamW lr 5e-4 x B/256, "
                            + "wd 0.05, betas 0.9/0.95, 10 warm-up epochs then cosine, clip 3.0, 200 epochs, batch 256 "
                            + "(our recipe: no paper trains RSA with a ViT)",
                    "methods.md §2.2-2.6 (RSA's views, loss, beta and EMA as rsa-cifar10); the optimisation follows "
                            + "DINO (AdamW, warm-up + cosine, clip 3.0, wd 0.05) and MoCo v3 (beta2 0.95), scaled to CIFAR")
            .from(RSA_CIFAR10)
            .set("arch", "vit-tiny").set("patch-size", 4).set("pooling", "cls").set("frozen-patch-embed", false)
            .set("optimizer", "adamw").set("lr", 5e-4).set("lr-scaling", "linear").set("momentum", 0.9)
            .set("adam-beta2", 0.95).set("weight-decay", 0.05)
            .set("lr-schedule", "warmup-cosine-step").set("warmup-epochs", 10).set("clip-grad", 3.0)
            .build();

    /** BYOL (RSA's code) with a ViT-T/4 on CIFAR-10, trained as rsa-cifar10-vit-t4. */
    private static final Preset BYOL_CIFAR10_VIT = Preset.builder("byol-cifar10-vit-t4",
                    "BYOL (RSA repository's baseline, aggressive pairs) with a ViT-Tiny/4 on CIFAR-10, optimised as "
                            + "rsa-cifar10-vit-t4 (our recipe: no paper trains this BYOL with a ViT)",
                    "methods.md §2.2 (aa pairs), §2.4 (BYOL loss); optimisation as rsa-cifar10-vit-t4")
            .from(RSA_CIFAR10_VIT).set("method", "byol").set("plan", "byol").build();

    private static final Map<String, Preset> ALL = index(RSA_CIFAR10, RSA_CIFAR100, RSA_STL10, RSA_TINYIMAGENET,
            RSA_IMAGENET100,
            RSA_IMAGENET1K, DSSL_SIMSIAM_CIFAR10, DSSL_SIMSIAM_IMAGENET, DSSL_BYOL_IMAGENET, BYOL_DSSL_IMAGENET,
            BYOL_HEAVY_IMAGENET, BYOL_CIFAR10,
            SIMSIAM_CIFAR10, SIMSIAM_HEAVY_CIFAR10, SIMSIAM_IMAGENET, SIMSIAM_HEAVY_IMAGENET,
            VICREG_CIFAR10, BARLOW_TWINS_CIFAR10, MOCOV3_CIFAR10, DEMO, RSA_CIFAR10_VIT, BYOL_CIFAR10_VIT,
            MOCOV3_IMAGENET_VIT_S16);

    private static Map<String, Preset> index(Preset... presets) {
        Map<String, Preset> m = new LinkedHashMap<>();
        for (Preset p : presets) {
            m.put(p.name(), p);
        }
        return m;
    }

    /** Every preset, in a stable order. */
    public static List<Preset> all() {
        return List.copyOf(ALL.values());
    }

    /** The preset names. */
    public static List<String> names() {
        return List.copyOf(ALL.keySet());
    }

    /** The preset of that name, if any. */
    public static Optional<Preset> find(String name) {
        return Optional.ofNullable(ALL.get(name));
    }
}
