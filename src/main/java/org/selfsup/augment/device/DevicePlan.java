package org.selfsup.augment.device;

import java.util.ArrayList;
import java.util.List;
import org.selfsup.augment.plans.PlanDeclaration;
import org.selfsup.augment.plans.PlanOptions;
import org.selfsup.augment.plans.Recipe;
import org.selfsup.augment.plans.ViewPlans;
import org.selfsup.util.UserException;

/**
 * The device-side counterpart of a {@link org.selfsup.augment.ViewPlan}: derived from the same
 * {@link PlanDeclaration} as the CPU plan (methods.md §1.3, §2.2), expressed as per-view op probabilities
 * the batched code understands.
 *
 * @param name  plan name ({@code byol}, {@code simsiam}, {@code rsa}, {@code rsa-aw})
 * @param size  output side length
 * @param views the views in output order; a derived view comes after its source
 */
public record DevicePlan(String name, int size, List<DeviceViewRecipe> views) {
    /** The plans whose declaration the device path can make (derived, not listed by hand). */
    public static final List<String> NAMES = ViewPlans.NAMES.stream()
            .filter(n -> unsupported(ViewPlans.declaration(n, PlanOptions.defaults())) == null).toList();

    public DevicePlan {
        views = List.copyOf(views);
        List<String> seen = new ArrayList<>();
        for (DeviceViewRecipe v : views) {
            if (!v.fromSource() && !seen.contains(v.source())) {
                throw new IllegalArgumentException("view " + v.name() + " derives from " + v.source()
                        + ", which does not come before it");
            }
            seen.add(v.name());
        }
        if (size <= 0) {
            throw new IllegalArgumentException("plan size must be positive: " + size);
        }
    }

    /** The named plan at output size {@code size} with the original recipes' strengths. */
    public static DevicePlan create(String name, int size) {
        return create(name, size, PlanOptions.defaults());
    }

    /**
     * The named plan at output size {@code size} with the options {@code o}: derived from the same
     * {@link PlanDeclaration} the CPU plan is built from ({@link ViewPlans#declaration}).
     *
     * @throws UserException for a plan the device path cannot make
     */
    public static DevicePlan create(String name, int size, PlanOptions o) {
        return of(ViewPlans.declaration(name, o), size);
    }

    /**
     * The device plan of a declaration: each view's recipe read step by step into the batched ops'
     * parameters. The device makes, in this order, a crop and flip (views of the source image only; a
     * derived view shares its source's), colour jitter, greyscale and blur; any other step, or these in
     * another order, is not supported.
     *
     * @throws UserException naming the plan and the step the device path cannot make
     */
    public static DevicePlan of(PlanDeclaration plan, int size) {
        String problem = unsupported(plan);
        if (problem != null) {
            throw new UserException("plan '" + plan.name() + "' is not supported with augment-on device ("
                    + problem + "; supported: " + String.join(", ", NAMES) + ")");
        }
        return new DevicePlan(plan.name(), size, plan.views().stream().map(DevicePlan::recipe).toList());
    }

    /** Why the device path cannot make {@code plan}, or null if it can. */
    private static String unsupported(PlanDeclaration plan) {
        for (PlanDeclaration.View v : plan.views()) {
            int stage = 0;
            boolean cropped = false;
            for (Recipe.Step step : v.recipe().steps()) {
                int order = deviceOrder(step);
                if (order == 0) {
                    return "view " + v.name() + ": " + step + " has no device op";
                }
                if (order <= stage) {
                    return "view " + v.name() + ": " + step + " comes after a step the device makes later";
                }
                if (order <= 2 && v.source() != null) {
                    return "view " + v.name() + ": a derived view shares its source's crop and flip on the device";
                }
                cropped |= order == 1;
                stage = order;
            }
            if (v.source() == null && !cropped) {
                return "view " + v.name() + ": the device crops every view of the source image";
            }
        }
        return null;
    }

    /** The position of a step in the device's fixed op order (crop, flip, jitter, grey, blur), 0 = none. */
    private static int deviceOrder(Recipe.Step step) {
        if (step instanceof Recipe.Crop) {
            return 1;
        } else if (step instanceof Recipe.Flip) {
            return 2;
        } else if (step instanceof Recipe.Jitter) {
            return 3;
        } else if (step instanceof Recipe.Gray) {
            return 4;
        } else if (step instanceof Recipe.Blur) {
            return 5;
        }
        return 0;
    }

    /** The device recipe of a view the device path supports (see {@link #unsupported}). */
    private static DeviceViewRecipe recipe(PlanDeclaration.View v) {
        double scaleMin = 0;
        double scaleMax = 0;
        double flipP = 0;
        double jitterP = 0;
        double brightness = 0;
        double contrast = 0;
        double saturation = 0;
        double hue = 0;
        double grayP = 0;
        double blurP = 0;
        double sigmaMin = 0.1; // the blur range when a view has no blur: unused, kept as the op's defaults
        double sigmaMax = 2.0;
        for (Recipe.Step step : v.recipe().steps()) {
            if (step instanceof Recipe.Crop c) {
                scaleMin = c.scaleMin();
                scaleMax = c.scaleMax();
            } else if (step instanceof Recipe.Flip f) {
                flipP = f.p();
            } else if (step instanceof Recipe.Jitter j) {
                jitterP = j.p();
                brightness = j.brightness();
                contrast = j.contrast();
                saturation = j.saturation();
                hue = j.hue();
            } else if (step instanceof Recipe.Gray g) {
                grayP = g.p();
            } else if (step instanceof Recipe.Blur b) {
                blurP = b.p();
                sigmaMin = b.sigmaMin();
                sigmaMax = b.sigmaMax();
            }
        }
        return new DeviceViewRecipe(v.name(), v.source(), scaleMin, scaleMax, flipP, jitterP, brightness, contrast,
                saturation, hue, grayP, blurP, sigmaMin, sigmaMax, 0);
    }

    /** The view names in output order. */
    public List<String> viewNames() {
        return views.stream().map(DeviceViewRecipe::name).toList();
    }

    /** Index of view {@code name}. */
    public int indexOf(String name) {
        for (int i = 0; i < views.size(); i++) {
            if (views.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no view " + name + " in plan " + this.name);
    }
}
