package org.selfsup.method;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfsup.model.Scalars;

/**
 * VICReg, Barlow Twins and MoCo v3 losses against tools/ssl_losses_reference.py (float64 NumPy from the
 * papers' formulas, independent of the Java code): values on fixed 8 x 6 tensors and gradients by
 * central finite differences on a 4 x 3 case, from the checked-in src/test/resources/ssl_losses/reference.json.
 * {@link #theScriptStillWritesTheCheckedInValues} reruns the script when /usr/bin/python3 has NumPy and
 * is skipped, with the reason printed, otherwise.
 */
class SslLossesReferenceTest {
    static final Path PYTHON = Path.of("/usr/bin/python3");
    static final Path SCRIPT = Path.of("tools/ssl_losses_reference.py");
    static JsonNode ref;

    @TempDir
    Path tmp;

    @BeforeAll
    static void load() throws Exception {
        org.selfsup.model.TorchThreads.single();
        try (InputStream in = SslLossesReferenceTest.class.getResourceAsStream("/ssl_losses/reference.json")) {
            ref = new ObjectMapper().readTree(in);
        }
    }

    static float[][] matrix(JsonNode n) {
        float[][] out = new float[n.size()][];
        for (int i = 0; i < n.size(); i++) {
            out[i] = new float[n.get(i).size()];
            for (int j = 0; j < out[i].length; j++) {
                out[i][j] = (float) n.get(i).get(j).asDouble();
            }
        }
        return out;
    }

    private static void close(double expected, double actual, String what) {
        assertEquals(expected, actual, 2e-5 * Math.max(1, Math.abs(expected)), what);
    }

    @Test
    void vicregTermsMatchTheReference() {
        JsonNode c = ref.get("vicreg");
        try (NDManager m = NDManager.newBaseManager()) {
            FakeNetworks nets = new FakeNetworks(m);
            NDArray[] t = VicReg.terms(nets, m.create(matrix(c.get("z1"))), m.create(matrix(c.get("z2"))));
            close(c.get("invariance").asDouble(), t[0].getFloat(), "invariance");
            close(c.get("variance").asDouble(), t[1].getFloat(), "variance");
            close(c.get("covariance").asDouble(), t[2].getFloat(), "covariance");
            close(c.get("total").asDouble(), vicregTotal(nets, t).getFloat(), "total");
        }
    }

    private static NDArray vicregTotal(FakeNetworks nets, NDArray[] t) {
        return t[0].mul(Scalars.of(t[0].getManager(), 25f)).add(t[1].mul(Scalars.of(t[1].getManager(), 25f))).add(t[2]);
    }

    @Test
    void barlowTermsMatchTheReference() {
        JsonNode c = ref.get("barlow");
        try (NDManager m = NDManager.newBaseManager()) {
            FakeNetworks nets = new FakeNetworks(m);
            NDArray[] t = BarlowTwins.terms(nets, m.create(matrix(c.get("z1"))), m.create(matrix(c.get("z2"))));
            close(c.get("on_diag").asDouble(), t[0].getFloat(), "on-diagonal");
            close(c.get("off_diag").asDouble(), t[1].getFloat(), "off-diagonal");
            close(c.get("total").asDouble(), t[0].add(t[1].mul(5e-3f)).getFloat(), "total");
        }
    }

    @Test
    void mocoV3LossMatchesTheReference() {
        for (JsonNode c : ref.get("mocov3")) {
            double tau = c.get("tau").asDouble();
            try (NDManager m = NDManager.newBaseManager()) {
                FakeNetworks nets = new FakeNetworks(m);
                NDArray total = MocoV3.contrastive(nets, m.create(matrix(c.get("q1"))), m.create(matrix(c.get("k2"))), tau)
                        .add(MocoV3.contrastive(nets, m.create(matrix(c.get("q2"))), m.create(matrix(c.get("k1"))), tau));
                close(c.get("total").asDouble(), total.getFloat(), "tau " + tau);
            }
        }
    }

    /** Autograd gradient of {@code loss(a, b)} with respect to {@code a} (or {@code b}) against the finite differences. */
    private static void checkGradient(JsonNode c, String wrt, JsonNode expected,
                                      BiFunction<NDArray, NDArray, NDArray> loss, String what) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(matrix(c.get(wrt.equals("dq1") ? "q1" : "z1")));
            NDArray b = m.create(matrix(c.get(wrt.equals("dq1") ? "k2" : "z2")));
            NDArray x = wrt.equals("dz2") ? b : a;
            x.setRequiresGradient(true);
            NDArray value;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                value = loss.apply(a, b);
                gc.backward(value);
            }
            float[][] want = matrix(expected);
            float[] got = x.getGradient().toFloatArray();
            int cols = want[0].length;
            for (int i = 0; i < want.length; i++) {
                for (int j = 0; j < cols; j++) {
                    assertEquals(want[i][j], got[i * cols + j], 1e-3 * Math.max(1, Math.abs(want[i][j])),
                            what + " d/d" + wrt + "[" + i + "][" + j + "]");
                }
            }
        }
    }

    @Test
    void vicregAndBarlowGradientsMatchFiniteDifferences() {
        JsonNode v = ref.get("vicreg").get("grad");
        JsonNode b = ref.get("barlow").get("grad");
        for (String wrt : List.of("dz1", "dz2")) {
            checkGradient(v, wrt, v.get(wrt), (x, y) -> {
                FakeNetworks nets = new FakeNetworks(x.getManager());
                return vicregTotal(nets, VicReg.terms(nets, x, y));
            }, "vicreg");
            checkGradient(b, wrt, b.get(wrt), (x, y) -> {
                NDArray[] t = BarlowTwins.terms(new FakeNetworks(x.getManager()), x, y);
                return t[0].add(t[1].mul(Scalars.of(t[1].getManager(), 5e-3f)));
            }, "barlow");
        }
    }

    @Test
    void mocoV3GradientMatchesFiniteDifferences() {
        for (JsonNode c : ref.get("mocov3")) {
            double tau = c.get("tau").asDouble();
            // only the q1 -> k2 term depends on q1; k2 is detached inside
            checkGradient(c, "dq1", c.get("dq1"),
                    (q, k) -> MocoV3.contrastive(new FakeNetworks(q.getManager()), q, k, tau), "mocov3 tau " + tau);
        }
    }

    @Test
    void theScriptStillWritesTheCheckedInValues() throws Exception {
        String why = null;
        if (!Files.isExecutable(PYTHON)) {
            why = PYTHON + " is missing";
        } else {
            Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import numpy").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(1, TimeUnit.MINUTES) || p.exitValue() != 0) {
                why = PYTHON + " has no NumPy (apt-get install python3-numpy): " + out.strip();
            }
        }
        if (why != null) {
            System.err.println("SslLossesReferenceTest.theScriptStillWritesTheCheckedInValues skipped: " + why);
        }
        Assumptions.assumeTrue(why == null, why);
        Path out = tmp.resolve("reference.json");
        Process p = new ProcessBuilder(PYTHON.toString(), SCRIPT.toString(), out.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), log);
        System.err.println("ssl_losses_reference.py: " + log.strip());
        JsonNode fresh = new ObjectMapper().readTree(out.toFile());
        for (String key : List.of("vicreg", "barlow", "mocov3")) {
            assertEquals(ref.get(key), fresh.get(key), key + ": the checked-in reference is stale");
        }
    }
}
