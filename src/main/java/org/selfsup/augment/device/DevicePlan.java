package org.selfsup.augment.device;

import java.util.ArrayList;
import java.util.List;
import org.selfsup.augment.plans.PlanOptions;
import org.selfsup.util.UserException;

/**
 * The device-side counterpart of a {@link org.selfsup.augment.ViewPlan}: the same view names and
 * recipes (methods.md §1.3, §2.2), expressed as per-view op probabilities the batched code understands.
 *
 * @param name  plan name ({@code byol}, {@code simsiam}, {@code rsa}, {@code rsa-aw})
 * @param size  output side length
 * @param views the views in output order; a derived view comes after its source
 */
public record DevicePlan(String name, int size, List<DeviceViewRecipe> views) {
    /** Plan names this class knows. */
    public static final List<String> NAMES = List.of("byol", "simsiam", "rsa", "rsa-aw");

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
     * The named plan at output size {@code size}, with the crop scale minimum and colour-jitter strengths
     * of {@code o} (the same options the CPU plans of {@link org.selfsup.augment.plans.ViewPlans} take).
     *
     * @throws UserException for a plan the device path does not support
     */
    public static DevicePlan create(String name, int size, PlanOptions o) {
        double sm = o.scaleMin();
        double sx = o.scaleMax();
        List<DeviceViewRecipe> v = switch (name) {
            case "byol" -> List.of(DeviceViewRecipe.aggressiveFull("v1", sm, sx, o.jitter(), o.hue()),
                    DeviceViewRecipe.aggressiveFull("v2", sm, sx, o.jitter(), o.hue()));
            case "simsiam" -> List.of(DeviceViewRecipe.standard("v1", sm, sx, o.jitter(), o.hue()),
                    DeviceViewRecipe.standard("v2", sm, sx, o.jitter(), o.hue()));
            case "rsa" -> List.of(DeviceViewRecipe.weak("w1", sm, sx), DeviceViewRecipe.weak("w2", sm, sx),
                    DeviceViewRecipe.aggressiveOn("a1", "w1", o.jitter(), o.hue()),
                    DeviceViewRecipe.aggressiveOn("a2", "w2", o.jitter(), o.hue()));
            case "rsa-aw" -> List.of(DeviceViewRecipe.aggressiveFull("v1", sm, sx, o.jitter(), o.hue()),
                    DeviceViewRecipe.weak("v2", sm, sx));
            default -> throw new UserException("plan '" + name + "' is not supported with augment-on device (supported: "
                    + String.join(", ", NAMES) + ")");
        };
        return new DevicePlan(name, size, v);
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
