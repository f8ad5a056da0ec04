package org.selfsup.augment.plans;

import java.util.List;
import org.selfsup.augment.RandomTransform;
import org.selfsup.augment.ViewPlan;
import org.selfsup.util.UserException;

/**
 * The registry of named view plans. Every plan outputs {@code size x size} uint8 RGB views; derived
 * views (RSA's {@code a1, a2}, DSSL's {@code x11, x21}) are made from their source view's image, so
 * they share its crop and flip (except where a recipe re-crops).
 */
public final class ViewPlans {
    private ViewPlans() {}

    /** The registered plan names. */
    public static final List<String> NAMES = List.of(
            "byol", "simsiam", "rsa", "rsa-aw", "dssl-cifar", "dssl-imagenet", "dssl-byol-harder", "heavy-pair", "eval", "probe-train");

    /**
     * The view names plan {@code name} makes, in output order (they do not depend on the size or options).
     *
     * @throws UserException if the name is unknown
     */
    public static List<String> viewNames(String name) {
        return create(name, 32, PlanOptions.defaults()).viewNames();
    }

    /**
     * The plan called {@code name} for views of {@code size x size}.
     *
     * @throws UserException if the name is unknown or the size is not positive
     */
    public static ViewPlan create(String name, int size, PlanOptions opts) {
        if (size <= 0) {
            throw new UserException("view size must be positive: " + size);
        }
        PlanOptions o = opts == null ? PlanOptions.defaults() : opts;
        return switch (name) {
            case "byol" -> byol(size, o);
            case "simsiam" -> simsiam(size, o);
            case "rsa" -> rsa(size, o);
            case "rsa-aw" -> rsaAw(size, o);
            case "dssl-cifar" -> dsslCifar(size, o);
            case "dssl-imagenet" -> dsslImagenet(size, o);
            case "dssl-byol-harder" -> dsslByolHarder(size, o);
            case "heavy-pair" -> heavyPair(size, o);
            case "eval" -> eval(size, o);
            case "probe-train" -> probeTrain(size, o);
            default -> throw new UserException("unknown view plan '" + name + "' (known: " + String.join(", ", NAMES) + ")");
        };
    }

    /**
     * {@code byol}: views {@code v1, v2}, each aggressive_full(x) = RRC(size, 0.2–1), flip,
     * RandomApply(CJ(0.4, 0.4, 0.4, 0.1), 0.8), gray 0.2, RandomApply(blur σ∈[0.1, 2], 0.5)
     * (RSA's {@code --augs aa}, the usual BYOL pair).
     */
    public static ComposedPlan byol(int size, PlanOptions o) {
        return new ComposedPlan("byol", size, List.of(
                ViewSpec.fromImage("v1", Recipes.aggressiveFull(size, o)),
                ViewSpec.fromImage("v2", Recipes.aggressiveFull(size, o))));
    }

    /**
     * {@code simsiam}: views {@code v1, v2}, each DSSL-CIFAR's standard t = RRC(0.2–1), flip,
     * RandomApply(CJ(0.4, 0.4, 0.4, 0.1), 0.8), gray 0.2 (no blur).
     */
    public static ComposedPlan simsiam(int size, PlanOptions o) {
        return new ComposedPlan("simsiam", size, List.of(
                ViewSpec.fromImage("v1", Recipes.standard(size, o)),
                ViewSpec.fromImage("v2", Recipes.standard(size, o))));
    }

    /**
     * {@code rsa} (RSA's {@code --augs ma}): weak views {@code w1, w2} = RRC(0.2–1) + flip of the image;
     * aggressive views {@code a1 = T2(w1)}, {@code a2 = T2(w2)} with T2 = RandomApply(CJ, 0.8), gray 0.2,
     * RandomApply(blur, 0.5) applied on the weak view. Order {@code [w1, w2, a1, a2]}.
     */
    public static ComposedPlan rsa(int size, PlanOptions o) {
        return new ComposedPlan("rsa", size, List.of(
                ViewSpec.fromImage("w1", Recipes.weak(size, o)),
                ViewSpec.fromImage("w2", Recipes.weak(size, o)),
                ViewSpec.derived("a1", "w1", Recipes.aggressiveAddOn(o)),
                ViewSpec.derived("a2", "w2", Recipes.aggressiveAddOn(o))));
    }

    /** {@code rsa-aw} (RSA's {@code --augs aw}): {@code v1 = aggressive_full(x)}, {@code v2 = weak_full(x)}. */
    public static ComposedPlan rsaAw(int size, PlanOptions o) {
        return new ComposedPlan("rsa-aw", size, List.of(
                ViewSpec.fromImage("v1", Recipes.aggressiveFull(size, o)),
                ViewSpec.fromImage("v2", Recipes.weak(size, o))));
    }

    /**
     * {@code dssl-cifar}: standard views {@code x1, x2} as {@link #simsiam}; heavy views
     * {@code x11 = RandAugment(N, M)(x1)}, {@code x21 = RandAugment(N, M)(x2)} (default N=2, M=9).
     */
    public static ComposedPlan dsslCifar(int size, PlanOptions o) {
        return dssl("dssl-cifar", size, Recipes.standard(size, o), Recipes.randAugment(o), Recipes.randAugment(o));
    }

    /**
     * {@code dssl-imagenet}: standard views {@code x1, x2} = standard stack with RandomApply(blur, 0.5);
     * heavy views {@code x11, x21} from them = RandAugment(N, M) with p 0.9, else GridShuffle 4x4.
     */
    public static ComposedPlan dsslImagenet(int size, PlanOptions o) {
        return dssl("dssl-imagenet", size, Recipes.standardWithBlur(size, o), Recipes.heavyImagenet(o), Recipes.heavyImagenet(o));
    }

    /**
     * {@code dssl-byol-harder} (DSSL-BYOL, the paper's Table 3 "harder" setting): standard views
     * {@code x1, x2} = RandAugment(N, M) on the original image, then the standard stack with blur;
     * heavy views {@code x11, x21} from them = RandAugment(hardN=8, hardM=16), another RRC(0.2–1), flip,
     * RandomApply(CJ(0.5, 0.5, 0.5, 0.1), 0.8), gray 0.2, RandomApply(blur, 0.5), GridShuffle 4x4 with
     * p 0.1. The heavy view is re-cropped, so it does not share its source's crop.
     */
    public static ComposedPlan dsslByolHarder(int size, PlanOptions o) {
        return dssl("dssl-byol-harder", size, Recipes.harderStandard(size, o),
                Recipes.harderHeavy(size, o), Recipes.harderHeavy(size, o));
    }

    /**
     * {@code heavy-pair}: views {@code v1, v2}, each RandAugment(N, M) applied to a DSSL-CIFAR
     * standard view of the image (heavy(standard(x))), made from the image in one go: the naive
     * "train on heavy views symmetrically" baseline.
     */
    public static ComposedPlan heavyPair(int size, PlanOptions o) {
        return new ComposedPlan("heavy-pair", size, List.of(
                ViewSpec.fromImage("v1", Recipes.standard(size, o).then(Recipes.randAugment(o))),
                ViewSpec.fromImage("v2", Recipes.standard(size, o).then(Recipes.randAugment(o)))));
    }

    /**
     * {@code eval}: one view {@code x}, the test transform: no randomness, only the geometry of
     * {@link EvalTransform} (optional resize to {@code evalResize}, centre crop to {@code size}), then
     * ToTensor + Normalize in the batch assembler.
     */
    public static ComposedPlan eval(int size, PlanOptions o) {
        return new ComposedPlan("eval", size, List.of(
                ViewSpec.fromImage("x", new EvalTransform(size, o.evalResize()))));
    }

    /**
     * {@code probe-train}: one view {@code x} = RRC(size, scale 0.8–1) + flip(0.5), the linear-probe
     * training augmentation of DSSL's {@code main_lincls.py} (which resizes bicubically; selfsup's crop
     * is bilinear, as there is no PIL-exact bicubic op).
     */
    public static ComposedPlan probeTrain(int size, PlanOptions o) {
        return new ComposedPlan("probe-train", size, List.of(
                ViewSpec.fromImage("x", Recipes.weak(size, o.withCropScale(0.8, 1.0)))));
    }

    private static ComposedPlan dssl(String name, int size, RandomTransform standard,
                                     RandomTransform heavy1, RandomTransform heavy2) {
        return new ComposedPlan(name, size, List.of(
                ViewSpec.fromImage("x1", standard),
                ViewSpec.fromImage("x2", standard),
                ViewSpec.derived("x11", "x1", heavy1),
                ViewSpec.derived("x21", "x2", heavy2)));
    }
}
