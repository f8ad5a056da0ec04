package org.selfsup.augment.plans;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.selfsup.augment.RandomTransform;
import org.selfsup.augment.ViewPlan;
import org.selfsup.data.Image;

/**
 * A view plan built from {@link ViewSpec}s, made in their listed order.
 *
 * <p>Randomness: before making view {@code k}, one {@code long} is drawn from the image's stream and
 * the view's transform runs on {@code new SplittableRandom(thatLong)}. Each view thus has its own
 * independent stream (a transform's number of draws never shifts another view), and a test can
 * reproduce any view from the image stream alone.
 */
public final class ComposedPlan implements ViewPlan {
    private final String name;
    private final int size;
    private final List<ViewSpec> specs;
    private final List<String> names;
    private final int[] sourceIndex;

    /**
     * @throws IllegalArgumentException if names repeat or a source is not an earlier view
     */
    public ComposedPlan(String name, int size, List<ViewSpec> specs) {
        this.name = name;
        this.size = size;
        this.specs = List.copyOf(specs);
        List<String> n = new ArrayList<>();
        Map<String, Integer> index = new HashMap<>();
        sourceIndex = new int[specs.size()];
        for (int k = 0; k < specs.size(); k++) {
            ViewSpec s = specs.get(k);
            if (index.containsKey(s.name())) {
                throw new IllegalArgumentException(name + ": view " + s.name() + " defined twice");
            }
            if (s.source() == null) {
                sourceIndex[k] = -1;
            } else {
                Integer src = index.get(s.source());
                if (src == null) {
                    throw new IllegalArgumentException(name + ": source " + s.source() + " of view " + s.name() + " is not an earlier view");
                }
                sourceIndex[k] = src;
            }
            index.put(s.name(), k);
            n.add(s.name());
        }
        this.names = List.copyOf(n);
    }

    @Override
    public String name() { return name; }

    @Override
    public List<String> viewNames() { return names; }

    @Override
    public Optional<String> sourceOf(String view) {
        return Optional.ofNullable(spec(view).source());
    }

    @Override
    public int size() { return size; }

    /** The transform that makes {@code view} from its source (the image or another view). */
    public RandomTransform transformOf(String view) {
        return spec(view).transform();
    }

    @Override
    public List<Image> views(Image image, SplittableRandom rng) {
        Image[] out = new Image[specs.size()];
        for (int k = 0; k < out.length; k++) {
            SplittableRandom viewRng = new SplittableRandom(rng.nextLong());
            Image input = sourceIndex[k] < 0 ? image : out[sourceIndex[k]];
            out[k] = specs.get(k).transform().apply(input, viewRng);
        }
        return List.of(out);
    }

    private ViewSpec spec(String view) {
        for (ViewSpec s : specs) {
            if (s.name().equals(view)) {
                return s;
            }
        }
        throw new IllegalArgumentException(name + " has no view " + view + " (views: " + names + ")");
    }

    @Override
    public String toString() {
        return "ViewPlan[" + name + ", " + size + "px, " + names + "]";
    }
}
