package org.selfsup.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.selfsup.augment.plans.ComposedPlan;
import org.selfsup.augment.plans.PlanOptions;
import org.selfsup.augment.plans.ViewPlans;
import org.selfsup.augment.plans.ViewSpec;
import org.selfsup.data.Image;
import org.selfsup.util.UserException;

/** View names, sources, sizes and the derivation of views from their sources. */
class ViewPlansTest {
    private static final Map<String, List<String>> NAMES = Map.of(
            "byol", List.of("v1", "v2"),
            "simsiam", List.of("v1", "v2"),
            "rsa", List.of("w1", "w2", "a1", "a2"),
            "rsa-aw", List.of("v1", "v2"),
            "dssl-cifar", List.of("x1", "x2", "x11", "x21"),
            "dssl-imagenet", List.of("x1", "x2", "x11", "x21"),
            "dssl-byol-harder", List.of("x1", "x2", "x11", "x21"),
            "dssl-byol-standard", List.of("x1", "x2"),
            "heavy-pair", List.of("v1", "v2"),
            "eval", List.of("x"));

    @Test
    void everyPlanHasItsViewNamesAndSources() {
        assertEquals(NAMES.keySet(), Set.copyOf(ViewPlans.NAMES));
        for (String name : ViewPlans.NAMES) {
            ViewPlan plan = ViewPlans.create(name, 32, PlanOptions.defaults());
            assertEquals(name, plan.name());
            assertEquals(NAMES.get(name), plan.viewNames(), name);
            assertEquals(32, plan.size());
        }
        ViewPlan rsa = ViewPlans.create("rsa", 32, null);
        assertEquals(Optional.empty(), rsa.sourceOf("w1"));
        assertEquals(Optional.empty(), rsa.sourceOf("w2"));
        assertEquals(Optional.of("w1"), rsa.sourceOf("a1"));
        assertEquals(Optional.of("w2"), rsa.sourceOf("a2"));
        for (String dssl : List.of("dssl-cifar", "dssl-imagenet", "dssl-byol-harder")) {
            ViewPlan p = ViewPlans.create(dssl, 32, null);
            assertEquals(Optional.empty(), p.sourceOf("x1"));
            assertEquals(Optional.of("x1"), p.sourceOf("x11"));
            assertEquals(Optional.of("x2"), p.sourceOf("x21"));
        }
        for (String pair : List.of("byol", "simsiam", "rsa-aw", "heavy-pair")) {
            ViewPlan p = ViewPlans.create(pair, 32, null);
            assertEquals(Optional.empty(), p.sourceOf("v1"));
            assertEquals(Optional.empty(), p.sourceOf("v2"));
        }
    }

    @Test
    void thePlanMustMakeExactlyTheViewsTheMethodReads() {
        assertEquals(null, ViewPlans.viewMismatch("rsa", "rsa", List.of("w1", "w2", "a1", "a2")));
        assertEquals("plan 'rsa' gives views w1, w2, a1, a2 but method byol needs v1, v2",
                ViewPlans.viewMismatch("rsa", "byol", List.of("v1", "v2")));
        // a subset or another order is a mismatch too: the one rule, for validation and run assembly alike
        assertTrue(ViewPlans.viewMismatch("rsa", "m", List.of("w1", "w2")) != null);
        assertTrue(ViewPlans.viewMismatch("rsa", "m", List.of("w2", "w1", "a1", "a2")) != null);
        assertThrows(UserException.class, () -> ViewPlans.viewMismatch("nope", "m", List.of("v1")));
    }

    @Test
    void optionsReachTheRecipes() {
        PlanOptions o = PlanOptions.of(3, 12, 5, 20, 2, true);
        assertEquals(PlanOptions.defaults().withRandAugment(3, 12).withHard(5, 20).withGrid(2).withRelativeMagnitudes(true), o);
        assertEquals(0.4, o.jitter());
        assertThrows(IllegalArgumentException.class, () -> PlanOptions.of(2, 31, 8, 16, 4, false));
        // RandAugment(0, M) as the heavy transform: x11 is exactly x1
        ComposedPlan p = ViewPlans.dsslCifar(PlanOptions.defaults().withRandAugment(0, 9)).build(32);
        List<Image> v = p.views(TestImages.image(32, 32, 3), new SplittableRandom(3));
        assertEquals(v.get(0), v.get(2));
        assertEquals(v.get(1), v.get(3));
    }

    @Test
    void dsslByolStandardPlanIsTheHarderPlansStandardViewsAlone() {
        // DSSL's BYOL baseline trains on exactly the standard views DSSL-BYOL makes (RandAugment first)
        ComposedPlan standard = ViewPlans.dsslByolStandard(PlanOptions.defaults()).build(32);
        ComposedPlan harder = ViewPlans.dsslByolHarder(PlanOptions.defaults()).build(32);
        for (int s = 0; s < 10; s++) {
            Image img = TestImages.image(32, 32, 60 + s);
            List<Image> two = standard.views(img, new SplittableRandom(s));
            List<Image> four = harder.views(img, new SplittableRandom(s));
            assertEquals(four.subList(0, 2), two, "seed " + s);
        }
        assertEquals(Optional.empty(), standard.sourceOf("x2"));
    }

    @Test
    void unknownPlanIsAUserError() {
        UserException e = assertThrows(UserException.class, () -> ViewPlans.create("simclr", 32, null));
        assertTrue(e.getMessage().contains("simclr") && e.getMessage().contains("rsa"), e.getMessage());
        assertThrows(UserException.class, () -> ViewPlans.create("rsa", 0, null));
    }

    @Test
    void viewsHaveThePlanSizeForSeveralInputSizes() {
        for (String name : ViewPlans.NAMES) {
            for (int[] hw : new int[][] {{32, 32}, {28, 28}, {96, 96}}) {
                int size = name.equals("eval") ? 24 : 32;
                ViewPlan plan = ViewPlans.create(name, size, null);
                Image img = TestImages.image(hw[0], hw[1], 31);
                List<Image> views = plan.views(img, new SplittableRandom(hw[0]));
                assertEquals(plan.viewNames().size(), views.size());
                for (Image v : views) {
                    assertEquals(size, v.height(), name);
                    assertEquals(size, v.width(), name);
                    assertEquals(3, v.channels(), name);
                }
            }
        }
    }

    @Test
    void derivedViewEqualsItsTransformAppliedToTheSourceViewWithTheSameStream() {
        for (String name : List.of("rsa", "dssl-cifar", "dssl-imagenet", "dssl-byol-harder")) {
            ComposedPlan plan = (ComposedPlan) ViewPlans.create(name, 32, null);
            List<String> names = plan.viewNames();
            for (int s = 0; s < 20; s++) {
                Image img = TestImages.image(32, 32, 100 + s);
                List<Image> views = plan.views(img, new SplittableRandom(s));
                SplittableRandom rng = new SplittableRandom(s);
                long[] seeds = new long[names.size()];
                for (int k = 0; k < seeds.length; k++) {
                    seeds[k] = rng.nextLong();
                }
                for (int k = 0; k < names.size(); k++) {
                    String view = names.get(k);
                    Image input = plan.sourceOf(view).map(src -> views.get(names.indexOf(src))).orElse(img);
                    Image expected = plan.transformOf(view).apply(input, new SplittableRandom(seeds[k]));
                    assertEquals(expected, views.get(k), name + " view " + view + " seed " + s);
                }
            }
        }
    }

    @Test
    void rsaAggressiveViewKeepsTheWeakViewsGeometry() {
        // a1 = T2(w1): when colour jitter, grey and blur are all skipped (prob 0.2 * 0.8 * 0.5 = 0.08)
        // a1 is exactly w1; it must never be another crop of the image
        ComposedPlan plan = ViewPlans.rsa(PlanOptions.defaults()).build(32);
        Image img = TestImages.image(32, 32, 7);
        int equal = 0;
        int n = 1000;
        for (int s = 0; s < n; s++) {
            List<Image> v = plan.views(img, new SplittableRandom(s));
            if (v.get(0).equals(v.get(2))) {
                equal++;
            }
        }
        // P(no jitter, no grey, no blur) = 0.08; a very weak blur (sigma near 0.1) can also leave w1 as is
        assertTrue(equal >= 40 && equal <= 200, "a1 == w1 in " + equal + " of " + n);
    }

    @Test
    void greyViewsAppearWithTheGrayscaleProbability() {
        // colourful sources: a view is grey everywhere only when RandomGrayscale(0.2) fired
        Image img = TestImages.image(32, 32, 8);
        int n = 2000;
        int[] grey = new int[4];
        ComposedPlan rsa = ViewPlans.rsa(PlanOptions.defaults()).build(32);
        for (int s = 0; s < n; s++) {
            List<Image> v = rsa.views(img, new SplittableRandom(s));
            for (int k = 0; k < 4; k++) {
                grey[k] += isGrey(v.get(k)) ? 1 : 0;
            }
        }
        assertEquals(0, grey[0], "weak views are never grey");
        assertEquals(0, grey[1], "weak views are never grey");
        RandomWrappersTest.assertBinomial(grey[2], n, 0.2, "grey a1");
        RandomWrappersTest.assertBinomial(grey[3], n, 0.2, "grey a2");
    }

    private static boolean isGrey(Image img) {
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                if (img.get(y, x, 0) != img.get(y, x, 1) || img.get(y, x, 1) != img.get(y, x, 2)) {
                    return false;
                }
            }
        }
        return true;
    }

    @Test
    void plansAreDeterministicGivenTheStream() {
        for (String name : ViewPlans.NAMES) {
            ViewPlan plan = ViewPlans.create(name, 32, null);
            Image img = TestImages.image(32, 32, 41);
            assertEquals(plan.views(img, new SplittableRandom(5)), plan.views(img, new SplittableRandom(5)), name);
        }
    }

    @Test
    void evalPlanIsTheIdentityAtTheViewSizeAndCentreCropsAfterResize() {
        Image img = TestImages.image(32, 32, 51);
        ViewPlan eval = ViewPlans.create("eval", 32, null);
        assertEquals(List.of(img), eval.views(img, new SplittableRandom(1)));
        ViewPlan resized = ViewPlans.create("eval", 32, PlanOptions.defaults().withEvalResize(36));
        Image out = resized.views(img, new SplittableRandom(1)).get(0);
        assertEquals(32, out.height());
        Image big = TestImages.image(40, 40, 52);
        // resize 40 -> 40 is the identity, then the centre crop starts at round((40 - 32) / 2) = 4
        Image crop = ViewPlans.create("eval", 32, PlanOptions.defaults().withEvalResize(40)).views(big, new SplittableRandom(1)).get(0);
        assertEquals(big.get(4, 4, 0), crop.get(0, 0, 0));
        assertEquals(big.get(35, 35, 2), crop.get(31, 31, 2));
    }

    @Test
    void composedPlanRejectsBadSources() {
        RandomTransform id = (img, rng) -> img;
        assertThrows(IllegalArgumentException.class, () -> new ComposedPlan("bad", 8,
                List.of(ViewSpec.derived("a", "b", id), ViewSpec.fromImage("b", id))));
        assertThrows(IllegalArgumentException.class, () -> new ComposedPlan("bad", 8,
                List.of(ViewSpec.fromImage("a", id), ViewSpec.fromImage("a", id))));
    }
}
