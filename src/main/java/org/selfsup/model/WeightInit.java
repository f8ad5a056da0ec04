package org.selfsup.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.selfsup.util.Seeds;

/**
 * Sets initial values the way PyTorch/torchvision would, drawn from seeded Java streams so the result is
 * identical on every device and engine: each parameter's stream is keyed by the run seed and the
 * parameter's name, so adding a head never changes the backbone's initial weights.
 */
final class WeightInit {
    private WeightInit() {}

    /**
     * Initialises every parameter of {@code named} whose layer has a rule in {@code rules}.
     *
     * @throws IllegalStateException if a parameter has no rule (a layer the builder forgot to record)
     */
    static void apply(Map<String, Parameter> named, Map<Parameter, InitPlan.Entry> rules, long seed) {
        for (Map.Entry<String, Parameter> e : named.entrySet()) {
            Parameter p = e.getValue();
            InitPlan.Entry rule = rules.get(p);
            if (rule == null) {
                throw new IllegalStateException("no init rule for parameter " + e.getKey());
            }
            float[] values = values(rule, p, Seeds.stream(seed, Seeds.INIT, nameKey(e.getKey())));
            p.getArray().set(values);
        }
    }

    static float[] values(InitPlan.Entry entry, Parameter p, SplittableRandom rng) {
        InitPlan.Rule rule = entry.rule();
        Shape shape = p.getArray().getShape();
        float[] v = new float[Math.toIntExact(shape.size())];
        switch (rule) {
            case TRUNC_NORMAL_002 -> {
                for (int i = 0; i < v.length; i++) {
                    double x;
                    do {
                        x = rng.nextGaussian() * 0.02;
                    } while (x < -2 || x > 2); // timm's trunc_normal_(std=.02): bounds in absolute units
                    v[i] = (float) x;
                }
                return v;
            }
            case NORMAL_1E6 -> {
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (rng.nextGaussian() * 1e-6);
                }
                return v;
            }
            case XAVIER_UNIFORM -> {
                uniform(v, Math.sqrt(6.0 / (entry.fanIn() + entry.fanOut())), rng);
                return v;
            }
            case SINCOS_2D -> {
                long tokens = shape.get(shape.dimension() - 2) - 1;
                int grid = (int) Math.round(Math.sqrt(tokens));
                return PositionEmbeddings.sincos2d(grid, (int) shape.get(shape.dimension() - 1));
            }
            case ZEROS -> {
                return v;
            }
            case ONES -> {
                Arrays.fill(v, 1f);
                return v;
            }
            default -> { }
        }
        switch (p.getType()) {
            case WEIGHT -> {
                long fanOut = shape.size() / shape.get(1);
                if (rule == InitPlan.Rule.KAIMING_FAN_OUT) {
                    double std = Math.sqrt(2.0 / fanOut);
                    for (int i = 0; i < v.length; i++) {
                        v[i] = (float) (rng.nextGaussian() * std);
                    }
                } else {
                    uniform(v, 1.0 / Math.sqrt(entry.fanIn()), rng);
                }
            }
            case BIAS -> {
                if (rule == InitPlan.Rule.KAIMING_FAN_OUT) {
                    Arrays.fill(v, 0f); // torchvision zeroes conv biases (its ResNets have none)
                } else {
                    uniform(v, 1.0 / Math.sqrt(entry.fanIn()), rng);
                }
            }
            case GAMMA -> Arrays.fill(v, rule == InitPlan.Rule.BATCH_NORM_ZERO ? 0f : 1f);
            case BETA, RUNNING_MEAN -> Arrays.fill(v, 0f);
            case RUNNING_VAR -> Arrays.fill(v, 1f);
            default -> throw new IllegalStateException("unexpected parameter type " + p.getType());
        }
        return v;
    }

    static void uniform(float[] v, double bound, SplittableRandom rng) {
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
        }
    }

    /** 64-bit FNV-1a of a parameter name: the stable key of its random stream. */
    static long nameKey(String name) {
        long h = 0xcbf29ce484222325L;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h ^= b;
            h *= 0x100000001b3L;
        }
        return h;
    }
}
