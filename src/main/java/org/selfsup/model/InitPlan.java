package org.selfsup.model;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * How each layer of a model is initialised, recorded while the model is built (the builder knows
 * which conv is the stem and which BatchNorm closes a residual branch; the block tree does not).
 */
final class InitPlan {

    /** Initialisation rule of one layer. */
    enum Rule {
        /** torchvision ResNet convs: weight ~ N(0, 2 / fan_out) (Kaiming normal, fan_out, ReLU). */
        KAIMING_FAN_OUT,
        /**
         * PyTorch's default Conv2d/Linear init: Kaiming-uniform with a = sqrt(5), i.e. weight and bias ~
         * U(+-1/sqrt(fan_in)).
         */
        UNIFORM_FAN_IN,
        /** BatchNorm: gamma 1, beta 0, running mean 0, running var 1. */
        BATCH_NORM,
        /** BatchNorm closing a residual branch under zero-init-residual: gamma 0. */
        BATCH_NORM_ZERO,
        /** timm's ViT linear weights and position embedding: N(0, 0.02^2) truncated to [-2, 2]. */
        TRUNC_NORMAL_002,
        /** timm's ViT class token: N(0, 1e-6^2). */
        NORMAL_1E6,
        /**
         * MoCo v3's ViT weights ({@code vits.py}): U(+-sqrt(6 / (fan_in + fan_out))), xavier-uniform with the fans
         * the plan records (qkv as three D x D matrices, the patch projection over its flattened 3 p^2 inputs).
         */
        XAVIER_UNIFORM,
        /** MoCo v3's fixed 2-D sin-cos position embedding ({@link PositionEmbeddings#sincos2d}); no randomness. */
        SINCOS_2D,
        /** Zeros (timm's linear biases, LayerNorm beta). */
        ZEROS,
        /** Ones (LayerNorm gamma). */
        ONES
    }

    private final Map<Block, Rule> rules = new IdentityHashMap<>();
    private final Map<Parameter, Entry> parameters = new IdentityHashMap<>();

    /** Records the rule of a layer and returns the layer, for use inline while building. */
    <B extends Block> B with(B block, Rule rule) {
        rules.put(block, rule);
        return block;
    }

    /**
     * Records the rule of one parameter (for blocks whose parameters follow different rules, such as the
     * ViT's), with the fan-in that bounds a uniform rule.
     */
    Parameter with(Parameter parameter, Rule rule, long fanIn) {
        return with(parameter, rule, fanIn, 0);
    }

    /** Records the rule of one parameter with both fans (for {@link Rule#XAVIER_UNIFORM}). */
    Parameter with(Parameter parameter, Rule rule, long fanIn, long fanOut) {
        parameters.put(parameter, new Entry(rule, fanIn, fanOut));
        return parameter;
    }

    /**
     * How to initialise one parameter.
     *
     * @param rule   its layer's rule
     * @param fanIn  its layer's fan-in (weight elements / output channels), which also bounds the bias
     * @param fanOut its fan-out, for {@link Rule#XAVIER_UNIFORM} only (0 otherwise)
     */
    record Entry(Rule rule, long fanIn, long fanOut) {
        Entry(Rule rule, long fanIn) {
            this(rule, fanIn, 0);
        }
    }

    /** The rule of every parameter of every recorded layer; call after the blocks are initialised. */
    Map<Parameter, Entry> parameterRules() {
        Map<Parameter, Entry> out = new IdentityHashMap<>();
        rules.forEach((block, rule) -> {
            Parameter weight = block.getDirectParameters().contains("weight")
                    ? block.getDirectParameters().get("weight") : null;
            long fanIn = weight == null ? 0 : weight.getArray().getShape().size() / weight.getArray().getShape().get(0);
            block.getDirectParameters().values().forEach(p -> out.put(p, new Entry(rule, fanIn)));
        });
        out.putAll(parameters);
        return out;
    }
}
