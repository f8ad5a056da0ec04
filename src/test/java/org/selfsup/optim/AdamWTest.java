package org.selfsup.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.selfsup.model.Scalars;

/**
 * AdamW (and gradient-norm clipping) against PyTorch 1.13's {@code torch.optim.AdamW} and
 * {@code clip_grad_norm_} on fixed tensors named like a ViT's (goldens from tools/vit_goldens.py): the loss
 * {@code sum(c * p) + a/2 * sum(p^2)}, four steps with a changing learning rate, weight decay 0.05 on the 2-d
 * weight only (not on the bias, the class token or the position embeddings).
 */
class AdamWTest {
    static JsonNode goldens;
    private NDManager manager;

    @BeforeAll
    static void read() throws Exception {
        Engine.getInstance();
        ai.djl.pytorch.jni.JniUtils.setNumThreads(1);
        try (InputStream in = AdamWTest.class.getResourceAsStream("/vit/goldens.json")) {
            goldens = new ObjectMapper().readTree(in);
        }
    }

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    static float[] floats(JsonNode n) {
        float[] out = new float[n.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) n.get(i).asDouble();
        }
        return out;
    }

    static long[] longs(JsonNode n) {
        long[] out = new long[n.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = n.get(i).asLong();
        }
        return out;
    }

    private List<Parameter> params(JsonNode c) {
        List<Parameter> out = new ArrayList<>();
        for (int i = 0; i < c.get("names").size(); i++) {
            String name = c.get("names").get(i).asText();
            NDArray a = manager.create(floats(c.get("init").get(i)), new Shape(longs(c.get("shapes").get(i))));
            a.setRequiresGradient(true);
            out.add(Parameter.builder().setName(name)
                    .setType(name.equals("b") ? Parameter.Type.BIAS : Parameter.Type.WEIGHT).optArray(a).build());
        }
        return out;
    }

    private void backward(JsonNode c, List<Parameter> ps) {
        double a = c.get("a").asDouble();
        try (NDManager t = manager.newSubManager();
             GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray loss = null;
            for (int i = 0; i < ps.size(); i++) {
                NDArray w = ps.get(i).getArray();
                NDArray k = t.create(floats(c.get("c").get(i)), w.getShape());
                NDArray term = w.mul(k).sum().add(w.mul(w).sum().mul(Scalars.of(t, (float) (a / 2))));
                loss = loss == null ? term : loss.add(term);
            }
            gc.backward(loss);
        }
    }

    private Optimizer optimizer(JsonNode c, List<Parameter> ps) {
        return Optimizers.create("adamw", ps, manager, c.get("beta1").asDouble(), false,
                c.get("weight_decay").asDouble(), c.get("beta2").asDouble(), c.get("clip").asDouble());
    }

    @Test
    void matchesPyTorchAdamWWithAndWithoutClipping() {
        for (JsonNode c : goldens.get("adamw")) {
            List<Parameter> ps = params(c);
            try (Optimizer opt = optimizer(c, ps)) {
                AdamW adam = (AdamW) (opt instanceof GradClipping ? null : opt);
                if (adam != null) {
                    assertTrue(adam.decays(0));
                    for (int i = 1; i < ps.size(); i++) {
                        assertFalse(adam.decays(i), ps.get(i).getName() + " must not be decayed");
                    }
                }
                opt.zeroGrad();
                int k = 0;
                for (JsonNode lr : c.get("lrs")) {
                    backward(c, ps);
                    if (opt instanceof GradClipping clip) {
                        assertEquals(c.get("grad_norms").get(k).asDouble(), clip.norm(), 1e-5);
                    }
                    opt.step(lr.asDouble());
                    opt.zeroGrad();
                    k++;
                }
                double worst = 0;
                for (int i = 0; i < ps.size(); i++) {
                    float[] want = floats(c.get("final").get(i));
                    float[] got = ps.get(i).getArray().toFloatArray();
                    for (int j = 0; j < want.length; j++) {
                        double d = Math.abs(want[j] - got[j]);
                        worst = Math.max(worst, d);
                        assertEquals(want[j], got[j], 1e-6, ps.get(i).getName() + "[" + j + "] clip " + c.get("clip"));
                    }
                }
                System.out.printf("AdamW clip %s: max |diff| to PyTorch %.2g%n", c.get("clip").asText(), worst);
            }
        }
    }

    @Test
    void skippedStepsChangeNothingAndSavedStateContinuesBitIdentically() throws Exception {
        JsonNode c = goldens.get("adamw").get(0);
        List<Parameter> ps = params(c);
        try (AdamW opt = (AdamW) optimizer(c, ps)) {
            opt.zeroGrad();
            backward(c, ps);
            opt.step(0.1);
            opt.zeroGrad();
            float[] before = ps.get(0).getArray().toFloatArray();
            float[] m = opt.moments(0)[0].toFloatArray();
            backward(c, ps);
            try (NDManager t = manager.newSubManager()) {
                opt.step(t.create(0.05f), t.create(false)); // a step fp16 loss scaling skips
            }
            opt.zeroGrad();
            assertArrayEquals(before, ps.get(0).getArray().toFloatArray(), 0f);
            assertArrayEquals(m, opt.moments(0)[0].toFloatArray(), 0f);
            ByteArrayOutputStream state = new ByteArrayOutputStream();
            opt.save(new DataOutputStream(state));
            // a masked step that applies equals the plain step
            List<Parameter> twin = params(c);
            for (int i = 0; i < ps.size(); i++) {
                twin.get(i).getArray().set(ps.get(i).getArray().toFloatArray());
            }
            try (AdamW resumed = (AdamW) optimizer(c, twin)) {
                resumed.load(new DataInputStream(new ByteArrayInputStream(state.toByteArray())));
                backward(c, ps);
                backward(c, twin);
                opt.step(0.05);
                try (NDManager t = manager.newSubManager()) {
                    resumed.step(t.create(0.05f), t.create(true));
                }
                for (int i = 0; i < ps.size(); i++) {
                    assertArrayEquals(ps.get(i).getArray().toFloatArray(), twin.get(i).getArray().toFloatArray(), 0f,
                            ps.get(i).getName());
                }
            }
        }
    }
}
