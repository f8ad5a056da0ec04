package org.selfsup.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The networks of one self-supervised model: online backbone, projector and (optional) predictor, and
 * (optional) an EMA target copy of backbone + projector. The trainer drives it through
 * {@link #networks(ParameterStore)}; evaluation through {@link #features}.
 *
 * <p>Online trainable parameters have gradients attached (the trainer needs no DJL {@code Trainer});
 * target parameters are frozen: they change only through the EMA over {@link #emaPairs()}.
 * BatchNorm layers follow PyTorch (eps 1e-5, momentum 0.1); their running statistics are
 * non-trainable parameters updated in place by every training-mode forward pass.
 */
public final class SslModel implements AutoCloseable {
    static final String BACKBONE = "backbone/";
    static final String PROJECTOR = "projector/";
    static final String PREDICTOR = "predictor/";
    static final String TARGET_BACKBONE = "target.backbone/";
    static final String TARGET_PROJECTOR = "target.projector/";

    private final ModelSpec spec;
    private final NDManager manager;
    private final Block backbone;
    private final Block projector;
    private final Block predictor;
    private final Block targetBackbone;
    private final Block targetProjector;
    private final Map<String, Parameter> named = new LinkedHashMap<>();
    private final Map<Float, NDArray> constants = new HashMap<>();

    private SslModel(ModelSpec spec, NDManager parent, int inputSize, boolean withProjector,
                     boolean withPredictor, boolean withTarget, long seed) {
        TorchLogLevel.apply(); // libtorch's C++ warnings off (TORCH_CPP_LOG_LEVEL), before the first parameters
        if (withPredictor && spec.predictor() == null) {
            throw new IllegalArgumentException("the spec has no predictor head");
        }
        this.spec = spec;
        this.manager = parent.newSubManager();
        try {
            InitPlan plan = new InitPlan();
            backbone = initialised(buildBackbone(spec, plan, inputSize), new Shape(1, 3, inputSize, inputSize));
            projector = withProjector
                    ? initialised(Mlp.build(spec.projector(), plan), new Shape(1, spec.featureDim())) : null;
            predictor = withPredictor
                    ? initialised(Mlp.build(spec.predictor(), plan), new Shape(1, spec.projector().outDim())) : null;
            addNamed(BACKBONE, backbone);
            addNamed(PROJECTOR, projector);
            addNamed(PREDICTOR, predictor);
            WeightInit.apply(named, plan.parameterRules(), seed);
            if (withTarget) {
                InitPlan unused = new InitPlan();
                targetBackbone = initialised(buildBackbone(spec, unused, inputSize),
                        new Shape(1, 3, inputSize, inputSize));
                targetProjector = initialised(Mlp.build(spec.projector(), unused), new Shape(1, spec.featureDim()));
                copyValues(backbone, targetBackbone);
                copyValues(projector, targetProjector);
                targetBackbone.freezeParameters(true);
                targetProjector.freezeParameters(true);
                addNamed(TARGET_BACKBONE, targetBackbone);
                addNamed(TARGET_PROJECTOR, targetProjector);
            } else {
                targetBackbone = null;
                targetProjector = null;
            }
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * A freshly initialised model (PyTorch/torchvision init drawn from {@code seed}); the target, when
     * asked for, is an exact copy of the online backbone and projector.
     *
     * @param inputSize image side used to infer layer shapes (any size works afterwards)
     */
    public static SslModel create(ModelSpec spec, boolean withTarget, boolean withPredictor,
                                  NDManager manager, int inputSize, long seed) {
        return new SslModel(spec, manager, inputSize, true, withPredictor, withTarget, seed);
    }

    /**
     * A backbone-only model (projector, predictor and target are null) with weights read from a stream
     * written by {@link #saveBackbone} or {@link #save}.
     *
     * @throws org.selfsup.util.UserException if a backbone parameter is missing or has the wrong shape
     */
    public static SslModel loadBackbone(ModelSpec spec, DataInputStream in, NDManager manager, int inputSize) {
        return loadOnline(spec, in, manager, inputSize, false);
    }

    /**
     * The online networks read from a stream written by {@link #save}: the backbone, and with
     * {@code withHeads} also the projector and (when the spec has one) the predictor; never the target.
     *
     * @throws org.selfsup.util.UserException if a parameter is missing or has the wrong shape
     */
    public static SslModel loadOnline(ModelSpec spec, DataInputStream in, NDManager manager, int inputSize,
                                      boolean withHeads) {
        Map<String, ParamIo.Entry> values = ParamIo.read(in);
        SslModel model = new SslModel(spec, manager, savedInputSize(spec, values, inputSize), withHeads,
                withHeads && spec.predictor() != null, false, 0L);
        try {
            ParamIo.assign(values, model.named, false);
            return model;
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** The backbone of a spec: a {@link ResNet} or a {@link VisionTransformer} (its position grid from {@code inputSize}). */
    private static Block buildBackbone(ModelSpec spec, InitPlan plan, int inputSize) {
        return spec.vit() ? VisionTransformer.build(spec, plan, inputSize) : ResNet.build(spec, plan);
    }

    /**
     * The image side to build a model at for saved parameters: for a ViT, the side its saved position
     * embeddings were made for (a model trained at 32 px evaluates at 64 px with them resized on the fly),
     * else {@code inputSize}.
     */
    private static int savedInputSize(ModelSpec spec, Map<String, ParamIo.Entry> values, int inputSize) {
        ParamIo.Entry pos = spec.vit() ? values.get(BACKBONE + "pos_embed") : null;
        if (pos == null || pos.shape().dimension() != 3) {
            return inputSize;
        }
        long tokens = pos.shape().get(1) - 1;
        long side = Math.round(Math.sqrt(tokens));
        return side * side == tokens && side > 0 ? (int) side * spec.patchSize() : inputSize;
    }

    /** The ViT backbone's position-embedding grid side, or 0 for a ResNet. */
    public int positionGrid() {
        return backbone instanceof VisionTransformer v ? v.grid() : 0;
    }

    /**
     * A backbone-only model (projector, predictor and target are null) at its initialisation; for weights
     * loaded afterwards (e.g. from a torchvision-named file).
     */
    public static SslModel backboneOnly(ModelSpec spec, NDManager manager, int inputSize) {
        return new SslModel(spec, manager, inputSize, false, false, false, 0L);
    }

    /**
     * Copies the online backbone and projector into the EMA target (after their weights were replaced,
     * e.g. by {@code train --init-from}); nothing without a target.
     */
    public void syncTarget() {
        if (targetBackbone != null) {
            copyValues(backbone, targetBackbone);
            copyValues(projector, targetProjector);
        }
    }

    public ModelSpec spec() {
        return spec;
    }

    public Block backbone() {
        return backbone;
    }

    /** The online projector; null only for a model from {@link #loadBackbone}. */
    public Block projector() {
        return projector;
    }

    /** The online predictor, or null when created without one. */
    public Block predictor() {
        return predictor;
    }

    /** The EMA target backbone, or null without a target. */
    public Block targetBackbone() {
        return targetBackbone;
    }

    /** The EMA target projector, or null without a target. */
    public Block targetProjector() {
        return targetProjector;
    }

    /** Training-mode forward passes for {@link org.selfsup.method.SslMethod#loss}. */
    public Networks networks(ParameterStore ps) {
        return new Nets(ps);
    }

    /** Backbone features N x D; evaluation uses {@code training = false} (BatchNorm running statistics). */
    public NDArray features(ParameterStore ps, NDArray x, boolean training) {
        return forward(backbone, ps, x, training);
    }

    /** What the optimiser updates: trainable parameters of the online backbone, projector and predictor. */
    public List<Parameter> trainableParameters() {
        List<Parameter> out = new ArrayList<>();
        for (Block b : new Block[] {backbone, projector, predictor}) {
            if (b != null) {
                b.getParameters().values().stream().filter(Parameter::requiresGradient).forEach(out::add);
            }
        }
        return out;
    }

    /**
     * {target, online} array pairs for the EMA: the trainable parameters of backbone and projector, in a
     * stable order. BatchNorm running statistics (and the frozen gamma/beta of non-affine BatchNorm) are
     * excluded, as PyTorch's EMA loops over {@code parameters()} only. Empty without a target.
     */
    public List<NDArray[]> emaPairs() {
        if (targetBackbone == null) {
            return List.of();
        }
        List<NDArray[]> out = new ArrayList<>();
        addPairs(out, backbone, targetBackbone);
        addPairs(out, projector, targetProjector);
        return out;
    }

    /** Every parameter (running statistics, predictor and target included), in a stable order. */
    public List<Parameter> allParameters() {
        return new ArrayList<>(named.values());
    }

    /**
     * Every parameter by a stable unique name ({@code backbone/...}, {@code projector/...},
     * {@code predictor/...}, {@code target.backbone/...}, {@code target.projector/...}).
     */
    public Map<String, Parameter> namedParameters() {
        return Collections.unmodifiableMap(named);
    }

    /** Writes every parameter (names, shapes, values). */
    public void save(DataOutputStream out) {
        ParamIo.write(out, named);
    }

    /**
     * Reads parameters written by {@link #save} of an identically built model.
     *
     * @throws org.selfsup.util.UserException on a missing, extra or mis-shaped parameter
     */
    public void load(DataInputStream in) {
        ParamIo.assign(ParamIo.read(in), named, true);
    }

    /** Writes the online backbone's parameters only (for evaluation and export). */
    public void saveBackbone(DataOutputStream out) {
        Map<String, Parameter> only = new LinkedHashMap<>();
        named.forEach((k, v) -> {
            if (k.startsWith(BACKBONE)) {
                only.put(k, v);
            }
        });
        ParamIo.write(out, only);
    }

    @Override
    public void close() {
        manager.close();
    }

    private Block initialised(Block block, Shape inputShape) {
        block.initialize(manager, DataType.FLOAT32, inputShape);
        return block;
    }

    private void addNamed(String prefix, Block block) {
        if (block != null) {
            block.getParameters().forEach(p -> named.put(prefix + p.getKey(), p.getValue()));
        }
    }

    private static void copyValues(Block from, Block to) {
        List<Parameter> src = from.getParameters().values();
        List<Parameter> dst = to.getParameters().values();
        for (int i = 0; i < src.size(); i++) {
            dst.get(i).getArray().set(src.get(i).getArray().toFloatArray());
        }
    }

    private static void addPairs(List<NDArray[]> out, Block online, Block target) {
        List<Parameter> src = online.getParameters().values();
        List<Parameter> dst = target.getParameters().values();
        for (int i = 0; i < src.size(); i++) {
            if (src.get(i).requiresGradient()) {
                out.add(new NDArray[] {dst.get(i).getArray(), src.get(i).getArray()});
            }
        }
    }

    private static NDArray forward(Block block, ParameterStore ps, NDArray x, boolean training) {
        return block.forward(ps, new NDList(x), training).singletonOrThrow();
    }

    /** The training-mode view the methods see. */
    private final class Nets implements Networks {
        private final ParameterStore ps;

        Nets(ParameterStore ps) {
            this.ps = ps;
        }

        @Override
        public NDArray features(NDArray x) {
            return forward(backbone, ps, x, true);
        }

        @Override
        public NDArray project(NDArray x) {
            return forward(projector, ps, features(x), true);
        }

        @Override
        public NDArray predict(NDArray z) {
            if (predictor == null) {
                throw new IllegalStateException("this model was created without a predictor");
            }
            return forward(predictor, ps, z, true);
        }

        @Override
        public NDArray targetProject(NDArray x) {
            if (targetBackbone == null) {
                throw new IllegalStateException("this model was created without a target network");
            }
            NDArray f = forward(targetBackbone, ps, x, true);
            return forward(targetProjector, ps, f, true).stopGradient();
        }

        @Override
        public NDArray constant(float value, NDArray like) {
            if (!like.getDevice().equals(manager.getDevice())) {
                return Networks.super.constant(value, like);
            }
            // Created once in the model's manager: on a GPU a fresh scalar would be a blocking copy per step.
            return constants.computeIfAbsent(value, v -> Scalars.of(manager, v));
        }
    }
}
