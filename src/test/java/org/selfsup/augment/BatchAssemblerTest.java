package org.selfsup.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.selfsup.augment.plans.ViewPlans;
import org.selfsup.data.Image;
import org.selfsup.data.ImageStore;
import org.selfsup.data.Normalization;
import org.selfsup.util.Seeds;

/** Batch layout, normalisation and determinism across thread counts and batch order. */
class BatchAssemblerTest {

    @Test
    void batchesAreBitIdenticalForOneAndThreeThreads() {
        ImageStore store = TestImages.store(40, 32, 32, 3, 1);
        ViewPlan plan = ViewPlans.create("rsa", 32, null);
        int[] idx = {3, 17, 5, 0, 39, 22, 8, 11, 30, 2, 14};
        try (BatchAssembler one = new BatchAssembler(store, plan, Normalization.CIFAR, 1, 42);
             BatchAssembler three = new BatchAssembler(store, plan, Normalization.CIFAR, 3, 42)) {
            ViewBatch a = one.assemble(2, idx);
            ViewBatch b = three.assemble(2, idx);
            assertEquals(plan.viewNames(), a.viewNames());
            for (int v = 0; v < 4; v++) {
                assertArrayEquals(a.views().get(v), b.views().get(v), "view " + v);
            }
            assertArrayEquals(idx, b.indices());
            // a different epoch gives different views
            ViewBatch c = three.assemble(3, idx);
            assertEquals(false, Arrays.equals(a.view("w1"), c.view("w1")));
        }
    }

    @Test
    void recycledArraysAreReusedAndFullyOverwritten() {
        ImageStore store = TestImages.store(12, 32, 32, 3, 4);
        ViewPlan plan = ViewPlans.create("rsa", 32, null);
        int[] idx = {1, 7, 3, 10};
        try (BatchAssembler asm = new BatchAssembler(store, plan, Normalization.CIFAR, 2, 5);
             BatchAssembler fresh = new BatchAssembler(store, plan, Normalization.CIFAR, 2, 5)) {
            ViewBatch first = asm.assemble(0, idx);
            List<float[]> arrays = first.views();
            arrays.forEach(a -> Arrays.fill(a, Float.NaN)); // a consumer may leave anything behind
            asm.recycle(first);
            ViewBatch second = asm.assemble(1, idx);
            ViewBatch expected = fresh.assemble(1, idx);
            for (int v = 0; v < arrays.size(); v++) {
                assertEquals(true, arrays.contains(second.views().get(v)), "view " + v + " reuses a recycled array");
                assertArrayEquals(expected.views().get(v), second.views().get(v), "view " + v);
            }
            // a short last batch does not take arrays of another length
            asm.recycle(second);
            ViewBatch shorter = asm.assemble(1, new int[] {1, 7});
            assertEquals(2 * 3 * 32 * 32, shorter.views().get(0).length);
            assertArrayEquals(Arrays.copyOf(expected.views().get(0), 2 * 3 * 32 * 32), shorter.views().get(0));
        }
    }

    @Test
    void viewsOfAnImageDoNotDependOnTheBatchItIsIn() {
        ImageStore store = TestImages.store(20, 32, 32, 3, 2);
        ViewPlan plan = ViewPlans.create("dssl-cifar", 32, null);
        try (BatchAssembler asm = new BatchAssembler(store, plan, Normalization.CIFAR, 2, 7)) {
            ViewBatch a = asm.assemble(0, new int[] {4, 9, 13});
            ViewBatch b = asm.assemble(0, new int[] {13, 1, 4, 6});
            int sample = 3 * 32 * 32;
            for (String v : plan.viewNames()) {
                // image 13: position 2 in a, 0 in b; image 4: position 0 in a, 2 in b
                assertArrayEquals(Arrays.copyOfRange(a.view(v), 2 * sample, 3 * sample),
                        Arrays.copyOfRange(b.view(v), 0, sample), v);
                assertArrayEquals(Arrays.copyOfRange(a.view(v), 0, sample),
                        Arrays.copyOfRange(b.view(v), 2 * sample, 3 * sample), v);
            }
        }
    }

    @Test
    void viewsComeFromTheAugmentStreamOfEpochAndImage() {
        ImageStore store = TestImages.store(5, 32, 32, 3, 3);
        ViewPlan plan = ViewPlans.create("byol", 32, null);
        try (BatchAssembler asm = new BatchAssembler(store, plan, Normalization.CIFAR, 2, 99)) {
            ViewBatch batch = asm.assemble(4, new int[] {3});
            List<Image> views = plan.views(store.rgb(3), Seeds.stream(99, Seeds.AUGMENT, 4, 3));
            float[] expected = toChw(views.get(1), Normalization.CIFAR);
            assertArrayEquals(expected, batch.view("v2"));
        }
    }

    @Test
    void normalisationMatchesToTensorThenNormalizeInChwLayout() {
        // a 2-image store with known pixels through the identity eval plan
        byte[] p0 = new byte[4 * 4 * 3];
        byte[] p1 = new byte[4 * 4 * 3];
        for (int i = 0; i < p0.length; i++) {
            p0[i] = (byte) (i * 5);
            p1[i] = (byte) (255 - i);
        }
        ImageStore store = new ImageStore("tiny", 4, 4, 3, new byte[][] {p0, p1}, new int[] {1, 0}, List.of("a", "b"));
        Normalization n = Normalization.IMAGENET;
        try (BatchAssembler asm = new BatchAssembler(store, ViewPlans.create("eval", 4, null), n, 1, 0)) {
            ViewBatch b = asm.assemble(0, new int[] {1, 0});
            assertArrayEquals(new long[] {2, 3, 4, 4}, b.shape());
            assertArrayEquals(new int[] {0, 1}, b.labels());
            float[] x = b.view("x");
            assertEquals(2 * 3 * 16, x.length);
            for (int k = 0; k < 2; k++) {
                byte[] src = k == 0 ? p1 : p0;
                for (int c = 0; c < 3; c++) {
                    for (int y = 0; y < 4; y++) {
                        for (int xx = 0; xx < 4; xx++) {
                            int v = src[(y * 4 + xx) * 3 + c] & 0xFF;
                            double expected = (v / 255.0 - n.mean()[c]) / n.std()[c];
                            float got = x[k * 48 + c * 16 + y * 4 + xx];
                            assertEquals(expected, got, 1e-5, "sample " + k + " c" + c + " y" + y + " x" + xx);
                            // bit-exact float32 arithmetic of torchvision
                            assertEquals(((float) v / 255f - n.mean()[c]) / n.std()[c], got);
                        }
                    }
                }
            }
        }
        assertEquals((0f - 0.485f) / 0.229f, new BatchAssembler(store, ViewPlans.create("eval", 4, null), n, 1, 0).normalised(0, 0));
    }

    @Test
    void greyStoresAreRepeatedToThreeChannels() {
        ImageStore grey = TestImages.store(3, 28, 28, 1, 4);
        try (BatchAssembler asm = new BatchAssembler(grey, ViewPlans.create("eval", 28, null), Normalization.FASHION_MNIST, 2, 0)) {
            float[] x = asm.assemble(0, new int[] {0, 1, 2}).view("x");
            int plane = 28 * 28;
            for (int k = 0; k < 3; k++) {
                for (int p = 0; p < plane; p++) {
                    int v = grey.pixels(k)[p] & 0xFF;
                    float expected = ((float) v / 255f - 0.2860f) / 0.3530f;
                    for (int c = 0; c < 3; c++) {
                        assertEquals(expected, x[(k * 3 + c) * plane + p]);
                    }
                }
            }
        }
        // grey through a random plan: works and yields 3 channels
        try (BatchAssembler asm = new BatchAssembler(grey, ViewPlans.create("rsa", 28, null), Normalization.FASHION_MNIST, 2, 0)) {
            assertEquals(3 * 3 * 28 * 28, asm.assemble(0, new int[] {0, 1, 2}).view("a2").length);
        }
    }

    @Test
    void aPlanProducingTheWrongSizeFails() {
        ImageStore store = TestImages.store(2, 32, 32, 3, 5);
        // eval plan of size 16 on 32-px images resizes; a plan claiming 16 but returning 32 must fail
        ViewPlan liar = new ViewPlan() {
            public String name() { return "liar"; }
            public List<String> viewNames() { return List.of("x"); }
            public java.util.Optional<String> sourceOf(String v) { return java.util.Optional.empty(); }
            public int size() { return 16; }
            public List<Image> views(Image image, SplittableRandom rng) { return List.of(image); }
        };
        try (BatchAssembler asm = new BatchAssembler(store, liar, Normalization.CIFAR, 2, 0)) {
            assertThrows(IllegalStateException.class, () -> asm.assemble(0, new int[] {0, 1}));
        }
    }

    /** Reference ToTensor + Normalize of one image, written independently of the assembler. */
    static float[] toChw(Image img, Normalization n) {
        int s = img.height();
        float[] out = new float[3 * s * s];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < s; y++) {
                for (int x = 0; x < s; x++) {
                    out[c * s * s + y * s + x] = ((float) img.get(y, x, c) / 255f - n.mean()[c]) / n.std()[c];
                }
            }
        }
        return out;
    }
}
