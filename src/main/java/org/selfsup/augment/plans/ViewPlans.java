package org.selfsup.augment.plans;

import java.util.List;
import org.selfsup.augment.ViewPlan;
import org.selfsup.augment.plans.PlanDeclaration.View;
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
            "byol", "simsiam", "rsa", "rsa-aw", "dssl-cifar", "dssl-imagenet", "dssl-byol-harder",
            "dssl-byol-standard", "heavy-pair", "eval");

    /** The plans a method can train on (all but the evaluation plan {@code eval}). */
    public static final List<String> TRAINING_NAMES = NAMES.stream()
            .filter(n -> !n.equals("eval")).toList();

    /**
     * The view names plan {@code name} makes, in output order (they do not depend on the size or options).
     *
     * @throws UserException if the name is unknown
     */
    public static List<String> viewNames(String name) {
        return declaration(name, PlanOptions.defaults()).viewNames();
    }

    /**
     * The one check that a view plan suits a method, for the configuration's validation and the run
     * assembly alike (the CPU and device plans of a name make the same views): plan {@code plan} must make
     * exactly the views the method reads, in the method's order.
     *
     * @param plan   a plan name
     * @param method the method's name, for the message
     * @param needs  the views the method reads
     * @return null when the plan suits the method, else the problem in one sentence
     * @throws UserException if the plan name is unknown
     */
    public static String viewMismatch(String plan, String method, List<String> needs) {
        List<String> gives = viewNames(plan);
        return gives.equals(needs) ? null : "plan '" + plan + "' gives views " + String.join(", ", gives)
                + " but method " + method + " needs " + String.join(", ", needs);
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
        return declaration(name, opts).build(size);
    }

    /**
     * The declaration of plan {@code name} (the one source of both the CPU plan and the device plan).
     *
     * @throws UserException if the name is unknown
     */
    public static PlanDeclaration declaration(String name, PlanOptions opts) {
        PlanOptions o = opts == null ? PlanOptions.defaults() : opts;
        return switch (name) {
            case "byol" -> byol(o);
            case "simsiam" -> simsiam(o);
            case "rsa" -> rsa(o);
            case "rsa-aw" -> rsaAw(o);
            case "dssl-cifar" -> dsslCifar(o);
            case "dssl-imagenet" -> dsslImagenet(o);
            case "dssl-byol-harder" -> dsslByolHarder(o);
            case "dssl-byol-standard" -> dsslByolStandard(o);
            case "heavy-pair" -> heavyPair(o);
            case "eval" -> eval(o);
            default -> throw new UserException("unknown view plan '" + name + "' (known: " + String.join(", ", NAMES) + ")");
        };
    }

    /**
     * {@code byol}: views {@code v1, v2}, each aggressive_full(x) = RRC(size, 0.2–1), flip,
     * RandomApply(CJ(0.4, 0.4, 0.4, 0.1), 0.8), gray 0.2, RandomApply(blur σ∈[0.1, 2], 0.5)
     * (RSA's {@code --augs aa}, the usual BYOL pair).
     */
    public static PlanDeclaration byol(PlanOptions o) {
        return new PlanDeclaration("byol", List.of(
                View.fromImage("v1", Recipes.aggressiveFull(o)),
                View.fromImage("v2", Recipes.aggressiveFull(o))));
    }

    /**
     * {@code simsiam}: views {@code v1, v2}, each DSSL-CIFAR's standard t = RRC(0.2–1), flip,
     * RandomApply(CJ(0.4, 0.4, 0.4, 0.1), 0.8), gray 0.2 (no blur).
     */
    public static PlanDeclaration simsiam(PlanOptions o) {
        return new PlanDeclaration("simsiam", List.of(
                View.fromImage("v1", Recipes.standard(o)),
                View.fromImage("v2", Recipes.standard(o))));
    }

    /**
     * {@code rsa} (RSA's {@code --augs ma}): weak views {@code w1, w2} = RRC(0.2–1) + flip of the image;
     * aggressive views {@code a1 = T2(w1)}, {@code a2 = T2(w2)} with T2 = RandomApply(CJ, 0.8), gray 0.2,
     * RandomApply(blur, 0.5) applied on the weak view. Order {@code [w1, w2, a1, a2]}.
     */
    public static PlanDeclaration rsa(PlanOptions o) {
        return new PlanDeclaration("rsa", List.of(
                View.fromImage("w1", Recipes.weak(o)),
                View.fromImage("w2", Recipes.weak(o)),
                View.derived("a1", "w1", Recipes.aggressiveAddOn(o)),
                View.derived("a2", "w2", Recipes.aggressiveAddOn(o))));
    }

    /** {@code rsa-aw} (RSA's {@code --augs aw}): {@code v1 = aggressive_full(x)}, {@code v2 = weak_full(x)}. */
    public static PlanDeclaration rsaAw(PlanOptions o) {
        return new PlanDeclaration("rsa-aw", List.of(
                View.fromImage("v1", Recipes.aggressiveFull(o)),
                View.fromImage("v2", Recipes.weak(o))));
    }

    /**
     * {@code dssl-cifar}: standard views {@code x1, x2} as {@link #simsiam}; heavy views
     * {@code x11 = RandAugment(N, M)(x1)}, {@code x21 = RandAugment(N, M)(x2)} (default N=2, M=9).
     */
    public static PlanDeclaration dsslCifar(PlanOptions o) {
        return dssl("dssl-cifar", Recipes.standard(o), Recipes.randAugment(o), Recipes.randAugment(o));
    }

    /**
     * {@code dssl-imagenet}: standard views {@code x1, x2} = standard stack with RandomApply(blur, 0.5);
     * heavy views {@code x11, x21} from them = RandAugment(N, M) with p 0.9, else GridShuffle 4x4.
     */
    public static PlanDeclaration dsslImagenet(PlanOptions o) {
        return dssl("dssl-imagenet", Recipes.standardWithBlur(o), Recipes.heavyImagenet(o), Recipes.heavyImagenet(o));
    }

    /**
     * {@code dssl-byol-harder} (DSSL-BYOL, the paper's Table 3 "harder" setting): standard views
     * {@code x1, x2} = RandAugment(N, M) on the original image, then the standard stack with blur;
     * heavy views {@code x11, x21} from them = RandAugment(hardN=8, hardM=16), another RRC(0.2–1), flip,
     * RandomApply(CJ(0.5, 0.5, 0.5, 0.1), 0.8), gray 0.2, RandomApply(blur, 0.5), GridShuffle 4x4 with
     * p 0.1. The heavy view is re-cropped, so it does not share its source's crop.
     */
    public static PlanDeclaration dsslByolHarder(PlanOptions o) {
        return dssl("dssl-byol-harder", Recipes.harderStandard(o),
                Recipes.harderHeavy(o), Recipes.harderHeavy(o));
    }

    /**
     * {@code dssl-byol-standard}: the standard views {@code x1, x2} of {@link #dsslByolHarder} alone
     * (RandAugment(N, M) on the original image, then the standard stack with blur), for DSSL's BYOL
     * baseline, which trains on them without heavy views (methods.md §3.5, §3.8 quirk 10). Given the same
     * stream, its views are exactly {@code dssl-byol-harder}'s x1 and x2.
     */
    public static PlanDeclaration dsslByolStandard(PlanOptions o) {
        return new PlanDeclaration("dssl-byol-standard", List.of(
                View.fromImage("x1", Recipes.harderStandard(o)),
                View.fromImage("x2", Recipes.harderStandard(o))));
    }

    /**
     * {@code heavy-pair}: views {@code v1, v2}, each RandAugment(N, M) applied to a DSSL-CIFAR
     * standard view of the image (heavy(standard(x))), made from the image in one go: the naive
     * "train on heavy views symmetrically" baseline.
     */
    public static PlanDeclaration heavyPair(PlanOptions o) {
        return new PlanDeclaration("heavy-pair", List.of(
                View.fromImage("v1", Recipes.standard(o).then(Recipes.randAugment(o))),
                View.fromImage("v2", Recipes.standard(o).then(Recipes.randAugment(o)))));
    }

    /**
     * {@code eval}: one view {@code x}, the test transform: no randomness, only the geometry of
     * {@link ResizeCenterCrop} (optional resize to {@code evalResize}, centre crop to {@code size}), then
     * ToTensor + Normalize in the batch assembler.
     */
    public static PlanDeclaration eval(PlanOptions o) {
        return new PlanDeclaration("eval", List.of(
                View.fromImage("x", Recipe.of(new Recipe.EvalGeometry(o.evalResize())))));
    }

    private static PlanDeclaration dssl(String name, Recipe standard, Recipe heavy1, Recipe heavy2) {
        return new PlanDeclaration(name, List.of(
                View.fromImage("x1", standard),
                View.fromImage("x2", standard),
                View.derived("x11", "x1", heavy1),
                View.derived("x21", "x2", heavy2)));
    }
}
