package org.selfsup.augment.plans;

import java.util.List;
import java.util.Objects;

/**
 * A view plan as data, independent of the view size: its name and its views, each made by a
 * {@link Recipe} from the source image or from an earlier view. Both paths are made from it: the CPU
 * plan by {@link #build}, the device plan by {@code augment.device.DevicePlan#of}.
 *
 * @param name  plan name
 * @param views the views in output order; a derived view comes after its source
 */
public record PlanDeclaration(String name, List<View> views) {
    /**
     * One view.
     *
     * @param name   view name, e.g. {@code w1}
     * @param source the view it is derived from (sharing its crop and flip), or null for the source image
     * @param recipe how it is made from that input
     */
    public record View(String name, String source, Recipe recipe) {
        public View {
            Objects.requireNonNull(name);
            Objects.requireNonNull(recipe);
        }

        /** A view made from the source image. */
        public static View fromImage(String name, Recipe recipe) {
            return new View(name, null, recipe);
        }

        /** A view made from the already augmented view {@code source}. */
        public static View derived(String name, String source, Recipe recipe) {
            return new View(name, Objects.requireNonNull(source), recipe);
        }
    }

    public PlanDeclaration {
        views = List.copyOf(views);
    }

    /** The view names in output order. */
    public List<String> viewNames() {
        return views.stream().map(View::name).toList();
    }

    /** The CPU plan for views of {@code size x size}. */
    public ComposedPlan build(int size) {
        return new ComposedPlan(name, size, views.stream()
                .map(v -> new ViewSpec(v.name(), v.source(), v.recipe().transform(size))).toList());
    }
}
