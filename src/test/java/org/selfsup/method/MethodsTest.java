package org.selfsup.method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.selfsup.model.Scalars;
import org.selfsup.util.UserException;

/** Each method's loss against a plain-Java computation through the linear {@link FakeNetworks}. */
class MethodsTest {
    @Test
    void everyMethodTakesItsHeadsFromTheCatalogue() {
        for (MethodDefinition d : MethodRegistry.ALL) {
            assertTrue(d.heads() instanceof HeadCatalogue, d.name() + " heads outside HeadCatalogue");
            assertFalse(((HeadCatalogue) d.heads()).source().isEmpty());
        }
        // the specs the methods had before the catalogue: RSA's code heads are bias-free, lucidrains' biased
        var small = org.selfsup.model.Backbone.of("small", 16, List.of(1, 1, 1, 1));
        assertEquals(MethodRegistry.get("rsa").modelSpec(small, null), HeadCatalogue.RSA_CODE.spec(small, null));
        assertEquals(MethodRegistry.get("dssl-byol").modelSpec(small, null),
                MethodRegistry.get("heavy-symmetric-byol").modelSpec(small, null));
    }

    @org.junit.jupiter.api.BeforeAll
    static void singleThreaded() {
        org.selfsup.model.TorchThreads.single();
    }

    static final double[][] A = {{1, 2, 0}, {0, 1, -1}};
    static final double[][] B = {{2, 0, 1}, {1, 1, 1}};
    static final double[][] C = {{0.5, -1, 2}, {1, 0, 0}};
    static final double[][] D = {{-1, 1, 1}, {2, 1, 0.5}};

    /** x / 2 with a device scalar (a Java-number operand would dangle in the backward pass: Scalars). */
    private static NDArray half(NDArray x) {
        return x.mul(Scalars.of(x.getManager(), 0.5f));
    }
    static final StepContext STEP = new StepContext(30, 100, 0);

    NDManager m;

    @BeforeEach
    void open() {
        m = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        m.close();
    }

    /** Views as leaves with gradients attached, so tests can see which views receive gradient. */
    Map<String, NDArray> views(String... namesAndOrder) {
        double[][][] data = {A, B, C, D};
        Map<String, NDArray> out = new HashMap<>();
        for (int i = 0; i < namesAndOrder.length; i++) {
            NDArray v = m.create(FakeNetworks.toFloat(data[i]));
            v.setRequiresGradient(true);
            out.put(namesAndOrder[i], v);
        }
        return out;
    }

    static float[] grad(NDArray x) {
        try (NDArray g = x.getGradient()) {
            return g.toFloatArray();
        }
    }

    static boolean zero(float[] g) {
        for (float v : g) {
            if (v != 0f) {
                return false;
            }
        }
        return true;
    }

    LossOutput run(SslMethod method, FakeNetworks nets, Map<String, NDArray> views, StepContext step) {
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            LossOutput out = method.loss(nets, views, step);
            gc.backward(out.total());
            return out;
        }
    }

    /** Gradient of an arbitrary loss with respect to one view. */
    float[] gradOf(Function<Map<String, NDArray>, NDArray> loss, String view, String... names) {
        Map<String, NDArray> v = views(names);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(loss.apply(v));
        }
        return grad(v.get(view));
    }

    @Test
    void byolMatchesHandComputation() {
        FakeNetworks nets = new FakeNetworks(m);
        Map<String, NDArray> v = views("v1", "v2");
        LossOutput out = run(new Byol(), nets, v, STEP);
        double[][] q1 = Ref.predict(Ref.project(A));
        double[][] q2 = Ref.predict(Ref.project(B));
        double expected = Ref.mean(Ref.add(Ref.d(q1, Ref.target(B)), Ref.d(q2, Ref.target(A))));
        assertEquals(expected, out.total().getFloat(), 1e-5);
        assertEquals(2, nets.projectCalls);
        assertEquals(2, nets.targetCalls);
        assertTrue(out.stats().containsKey("proj_std"));
    }

    @Test
    void simSiamMatchesHandComputationAndStopsGradientOnZ() {
        FakeNetworks nets = new FakeNetworks(m);
        LossOutput out = run(new SimSiam(), nets, views("v1", "v2"), STEP);
        double[][] z1 = Ref.project(A);
        double[][] z2 = Ref.project(B);
        double expected = 0.5 * Ref.negCos(Ref.predict(z1), z2) + 0.5 * Ref.negCos(Ref.predict(z2), z1);
        assertEquals(expected, out.total().getFloat(), 1e-5);
        // Gradient reaches v1 only through p1 (z1 is a stop-gradient target in the other term).
        float[] full = gradOf(v -> new SimSiam().loss(new FakeNetworks(m), v, STEP).total(), "v1", "v1", "v2");
        float[] predictorSideOnly = gradOf(v -> {
            FakeNetworks n = new FakeNetworks(m);
            NDArray p1 = n.predict(n.project(v.get("v1")));
            NDArray target = n.project(v.get("v2")).stopGradient();
            return half(Losses.negativeCosine(p1, target));
        }, "v1", "v1", "v2");
        assertArrayEquals(predictorSideOnly, full, 1e-6f);
    }

    @Test
    void rsaMatchesHandComputation() {
        FakeNetworks nets = new FakeNetworks(m);
        Map<String, NDArray> v = views("w1", "w2", "a1", "a2");
        LossOutput out = run(create("rsa", "beta", 0.4), nets, v, STEP);
        double beta = 0.4 * (1 + Math.cos(Math.PI * 30 / 100)) / 2;
        double[][] y1 = Ref.project(C);
        double[][] y2 = Ref.project(D);
        double[][] q1 = Ref.predict(y1);
        double[][] q2 = Ref.predict(y2);
        double[][] z1 = Ref.target(A);
        double[][] z2 = Ref.target(B);
        double[] aw = Ref.add(Ref.d(q1, z2), Ref.d(q2, z1));
        double[] aa = Ref.add(Ref.d(q1, q2), Ref.d(q2, q1));
        double[] l = new double[2];
        for (int i = 0; i < 2; i++) {
            l[i] = beta * aa[i] + (1 - beta) * aw[i];
        }
        assertEquals(Ref.mean(l), out.total().getFloat(), 1e-5);
        assertEquals(Ref.mean(aw), out.terms().get("loss_aw").getFloat(), 1e-5);
        assertEquals(Ref.mean(aa), out.terms().get("loss_aa").getFloat(), 1e-5);
        assertEquals(beta, out.schedule().get("beta"), 1e-12);
        // Shift: online projection of a1 vs target projection of its source w1.
        assertEquals(Ref.meanCos(y1, z1), out.shift().get("a1").getFloat(), 1e-5);
        assertEquals(Ref.meanCos(y2, z2), out.shift().get("a2").getFloat(), 1e-5);
        assertEquals(2, nets.projectCalls);
        assertEquals(2, nets.predictCalls);
        assertEquals(2, nets.targetCalls);
        // Weak views only reach the (detached) target: no gradient; aggressive views get gradient.
        assertTrue(zero(grad(v.get("w1"))));
        assertTrue(zero(grad(v.get("w2"))));
        assertFalse(zero(grad(v.get("a1"))));
    }

    @Test
    void rsaAggressivePairStopsGradientOnTheOtherPrediction() {
        // beta0 = 1 at k = 0 gives beta = 1: the loss is L_aa alone.
        StepContext start = new StepContext(0, 100, 0);
        float[] full = gradOf(v -> create("rsa", "beta", 1.0).loss(new FakeNetworks(m), v, start).total(),
                "a1", "w1", "w2", "a1", "a2");
        float[] oneSided = gradOf(v -> {
            FakeNetworks n = new FakeNetworks(m);
            NDArray q1 = n.predict(n.project(v.get("a1")));
            NDArray q2 = n.predict(n.project(v.get("a2")));
            return Losses.normalizedMse(q1, q2.stopGradient()).mean();
        }, "a1", "w1", "w2", "a1", "a2");
        assertArrayEquals(oneSided, full, 1e-6f);
        assertFalse(zero(full));
    }

    @Test
    void dsslSimSiamMatchesHandComputationForBothLambdas() {
        double[][] z1 = Ref.project(A);
        double[][] z2 = Ref.project(B);
        double[][] z11 = Ref.project(C);
        double[][] z21 = Ref.project(D);
        double[][] p1 = Ref.predict(z1);
        double[][] p2 = Ref.predict(z2);
        double[][] p11 = Ref.predict(z11);
        double[][] p21 = Ref.predict(z21);
        double ls = 0.5 * Ref.negCos(p1, z2) + 0.5 * Ref.negCos(p2, z1);
        double la = 0.5 * Ref.negCos(p11, z1) + 0.5 * Ref.negCos(p21, z2);
        double lr = 0.5 * Ref.negCos(p1, z11) + 0.5 * Ref.negCos(p2, z21);
        for (double lambda : new double[] {0.1, 0.0}) {
            FakeNetworks nets = new FakeNetworks(m);
            LossOutput out = run(create("dssl-simsiam", "soft-loss-rate", lambda), nets, views("x1", "x2", "x11", "x21"), STEP);
            assertEquals(ls + (1 - lambda) * la + lambda * lr, out.total().getFloat(), 1e-5, "lambda " + lambda);
            assertEquals(ls, out.terms().get("loss_s").getFloat(), 1e-5);
            assertEquals(la, out.terms().get("loss_a").getFloat(), 1e-5);
            if (lambda > 0) {
                assertEquals(lr, out.terms().get("loss_rev").getFloat(), 1e-5);
            } else {
                assertNull(out.terms().get("loss_rev"), "lambda 0: the reverse term is not computed");
            }
            assertEquals(Ref.meanCos(z11, z1), out.shift().get("x11").getFloat(), 1e-5);
            assertEquals(Ref.meanCos(z21, z2), out.shift().get("x21").getFloat(), 1e-5);
            assertEquals(4, nets.projectCalls);
            assertEquals(0, nets.targetCalls);
        }
    }

    @Test
    void dsslSimSiamIsDirectional() {
        // With lambda = 0 the heavy-view term must not move the standard view: x1's gradient is L_S's alone.
        float[] full = gradOf(v -> create("dssl-simsiam", "soft-loss-rate", 0).loss(new FakeNetworks(m), v, STEP).total(),
                "x1", "x1", "x2", "x11", "x21");
        float[] symmetricOnly = gradOf(v -> {
            FakeNetworks n = new FakeNetworks(m);
            NDArray z1 = n.project(v.get("x1"));
            NDArray z2 = n.project(v.get("x2"));
            return Losses.average(Losses.negativeCosine(n.predict(z1), z2), Losses.negativeCosine(n.predict(z2), z1));
        }, "x1", "x1", "x2", "x11", "x21");
        assertArrayEquals(symmetricOnly, full, 1e-6f);
    }

    @Test
    void dsslByolMatchesHandComputation() {
        FakeNetworks nets = new FakeNetworks(m);
        Map<String, NDArray> v = views("x1", "x2", "x11", "x21");
        LossOutput out = run(MethodRegistry.create("dssl-byol", MethodOptions.defaults()), nets, v, STEP);
        double[][] p1 = Ref.predict(Ref.project(A));
        double[][] p2 = Ref.predict(Ref.project(B));
        double[][] p11 = Ref.predict(Ref.project(C));
        double[][] p21 = Ref.predict(Ref.project(D));
        double ls = 0.5 * Ref.negCos(p1, Ref.target(B)) + 0.5 * Ref.negCos(p2, Ref.target(A));
        double la = 0.5 * Ref.negCos(p11, Ref.target(A)) + 0.5 * Ref.negCos(p21, Ref.target(B));
        assertEquals(ls + la, out.total().getFloat(), 1e-5);
        assertEquals(ls, out.terms().get("loss_s").getFloat(), 1e-5);
        assertEquals(la, out.terms().get("loss_a").getFloat(), 1e-5);
        assertEquals(Ref.meanCos(Ref.project(C), Ref.project(A)), out.shift().get("x11").getFloat(), 1e-5);
        assertEquals(4, nets.targetCalls); // target re-run on x1, x2 for the directional terms, as upstream
        assertEquals(4, nets.projectCalls);
    }

    @Test
    void heavySymmetricMatchesHandComputation() {
        FakeNetworks nets = new FakeNetworks(m);
        LossOutput out = run(MethodRegistry.create("heavy-symmetric", MethodOptions.defaults()), nets, views("x1", "x2", "x11", "x21"), STEP);
        double[][] z1 = Ref.project(A);
        double[][] z2 = Ref.project(B);
        double[][] z11 = Ref.project(C);
        double[][] z21 = Ref.project(D);
        double s12 = 0.5 * Ref.negCos(Ref.predict(z1), z2) + 0.5 * Ref.negCos(Ref.predict(z2), z1);
        double s1h = 0.5 * Ref.negCos(Ref.predict(z1), z11) + 0.5 * Ref.negCos(Ref.predict(z11), z1);
        double s2h = 0.5 * Ref.negCos(Ref.predict(z2), z21) + 0.5 * Ref.negCos(Ref.predict(z21), z2);
        assertEquals(s12 + s1h + s2h, out.total().getFloat(), 1e-5);
        assertEquals(s12, out.terms().get("loss_s").getFloat(), 1e-5);
        assertEquals(s1h + s2h, out.terms().get("loss_h").getFloat(), 1e-5);
    }

    @Test
    void dsslByolBaselineIsDsslByolWithoutTheDirectionalTerms() {
        FakeNetworks nets = new FakeNetworks(m);
        Map<String, NDArray> v = views("x1", "x2");
        LossOutput out = run(new DsslByolBaseline(), nets, v, STEP);
        double[][] p1 = Ref.predict(Ref.project(A));
        double[][] p2 = Ref.predict(Ref.project(B));
        double expected = 0.5 * Ref.negCos(p1, Ref.target(B)) + 0.5 * Ref.negCos(p2, Ref.target(A));
        assertEquals(expected, out.total().getFloat(), 1e-5);
        // the same value as dssl-byol's loss_s on the same standard views
        LossOutput dssl = run(MethodRegistry.create("dssl-byol", MethodOptions.defaults()), new FakeNetworks(m), views("x1", "x2", "x11", "x21"), STEP);
        assertEquals(dssl.terms().get("loss_s").getFloat(), out.total().getFloat(), 1e-6);
        // and not RSA's BYOL (summed normalised MSEs) on the same pair
        float rsaByol = run(new Byol(), new FakeNetworks(m), views("v1", "v2"), STEP).total().getFloat();
        assertTrue(Math.abs(rsaByol - out.total().getFloat()) > 0.1, rsaByol + " vs " + out.total().getFloat());
        assertEquals(2, nets.projectCalls);
        assertEquals(2, nets.predictCalls);
        assertEquals(2, nets.targetCalls);
        assertTrue(out.stats().containsKey("proj_std"));
        // gradients reach the views through the online predictions only (the target is detached)
        float[] full = grad(v.get("x1"));
        float[] predictionOnly = gradOf(w -> {
            FakeNetworks n = new FakeNetworks(m);
            NDArray q1 = n.predict(n.project(w.get("x1")));
            return half(Losses.negativeCosine(q1, n.targetProject(w.get("x2"))));
        }, "x1", "x1", "x2");
        assertArrayEquals(predictionOnly, full, 1e-6f);
        assertFalse(zero(full));
    }

    @Test
    void dsslByolBaselineOnOneSampleByHand() {
        // one sample, x1 = (1, 0, 0), x2 = (0, 1, 0):
        // p(x1) = x1 P Q = (1, 0, 0.5) Q = (0, 1, 0.5),  z'(x2) = x2 T = (0, 1, 0): cos = 1 / sqrt(1.25)
        // p(x2) = x2 P Q = (0, 1, 0) Q = (1, 0, 0.25),   z'(x1) = x1 T = (1, 1, 0): cos = 1 / (sqrt(1.0625) sqrt(2))
        // L = -0.5 (0.894427 + 0.685994) = -0.790211
        NDArray x1 = m.create(new float[][] {{1, 0, 0}});
        NDArray x2 = m.create(new float[][] {{0, 1, 0}});
        LossOutput out = new DsslByolBaseline().loss(new FakeNetworks(m), Map.of("x1", x1, "x2", x2), STEP);
        assertEquals(-0.790211, out.total().getFloat(), 1e-5);
    }

    @Test
    void heavySymmetricByolMatchesHandComputation() {
        FakeNetworks nets = new FakeNetworks(m);
        Map<String, NDArray> v = views("x1", "x2", "x11", "x21");
        LossOutput out = run(MethodRegistry.create("heavy-symmetric-byol", MethodOptions.defaults()), nets, v, STEP);
        double[][] p1 = Ref.predict(Ref.project(A));
        double[][] p2 = Ref.predict(Ref.project(B));
        double[][] p11 = Ref.predict(Ref.project(C));
        double[][] p21 = Ref.predict(Ref.project(D));
        double s12 = 0.5 * Ref.negCos(p1, Ref.target(B)) + 0.5 * Ref.negCos(p2, Ref.target(A));
        double s1h = 0.5 * Ref.negCos(p1, Ref.target(C)) + 0.5 * Ref.negCos(p11, Ref.target(A));
        double s2h = 0.5 * Ref.negCos(p2, Ref.target(D)) + 0.5 * Ref.negCos(p21, Ref.target(B));
        assertEquals(s12 + s1h + s2h, out.total().getFloat(), 1e-5);
        assertEquals(s12, out.terms().get("loss_s").getFloat(), 1e-5);
        assertEquals(s1h + s2h, out.terms().get("loss_h").getFloat(), 1e-5);
        assertEquals(4, nets.projectCalls);
        assertEquals(4, nets.targetCalls);
        assertEquals("heavy-symmetric-byol", MethodRegistry.create("heavy-symmetric-byol", MethodOptions.defaults()).name());
        assertTrue(MethodRegistry.create("heavy-symmetric-byol", MethodOptions.defaults()).usesTarget());
        // symmetric: x1's gradient comes from p1 against both x2's and its heavy view x11's target (DSSL
        // drops the second); the target projections themselves are detached
        float[] toBoth = gradOf(w -> {
            FakeNetworks n = new FakeNetworks(m);
            NDArray q1 = n.predict(n.project(w.get("x1")));
            return half(Losses.negativeCosine(q1, n.targetProject(w.get("x2"))))
                    .add(half(Losses.negativeCosine(q1, n.targetProject(w.get("x11")))));
        }, "x1", "x1", "x2", "x11", "x21");
        assertArrayEquals(toBoth, grad(v.get("x1")), 1e-6f);
    }

    @Test
    void missingViewIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MethodRegistry.create("rsa", MethodOptions.defaults()).loss(new FakeNetworks(m), views("v1", "v2"), STEP));
        assertTrue(e.getMessage().contains("'w1'"), e.getMessage());
    }

    @Test
    void registryCreatesEveryMethodAndRejectsUnknownNames() {
        MethodOptions opts = MethodOptions.defaults();
        for (String name : MethodRegistry.NAMES) {
            SslMethod method = MethodRegistry.create(name, opts);
            assertEquals(name, method.name());
        }
        assertEquals(List.of("w1", "w2", "a1", "a2"), MethodRegistry.create("rsa", opts).views());
        assertEquals(List.of("x1", "x2", "x11", "x21"), MethodRegistry.create("dssl-byol", opts).views());
        assertEquals(List.of("x1", "x2"), MethodRegistry.create("dssl-byol-baseline", opts).views());
        assertTrue(MethodRegistry.create("dssl-byol-baseline", opts).usesTarget());
        assertTrue(MethodRegistry.create("heavy-symmetric-byol", opts).usesTarget());
        assertFalse(MethodRegistry.create("heavy-symmetric", opts).usesTarget());
        assertTrue(MethodRegistry.create("BYOL", opts).usesTarget());
        assertFalse(MethodRegistry.create("dssl-simsiam", opts).usesTarget());
        UserException e = assertThrows(UserException.class, () -> MethodRegistry.create("moco", opts));
        assertTrue(e.getMessage().startsWith("method: unknown 'moco'"), e.getMessage());
        assertTrue(e.getMessage().contains("heavy-symmetric"), e.getMessage());
        // each method's own options carry their valid ranges
        assertEquals("must be in [0, 1] (got 1.5)", MethodRegistry.options().get("beta").problem(1.5));
        assertEquals("must be in [0, 1] (got -0.1)", MethodRegistry.options().get("soft-loss-rate").problem(-0.1));
        assertEquals(null, MethodRegistry.options().get("beta").problem(0.4));
    }

    /** Method {@code name} with option {@code key} at {@code value}. */
    private static SslMethod create(String name, String key, double value) {
        return MethodRegistry.create(name, MethodOptions.defaults().with(key, value));
    }
}
