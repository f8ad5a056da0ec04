package org.selfsup.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one mapping between the DJL parameter paths of {@link SslModel} and PyTorch's names: the backbone
 * as torchvision's {@code ResNet} ({@code conv1.weight}, {@code bn1.running_mean},
 * {@code layer1.0.conv2.weight}, {@code layer2.0.downsample.0.weight}, ...; no {@code fc.*}) and, for
 * the heads, {@code projector.}/{@code predictor.} followed by {@code nn.Sequential} indices
 * ({@code projector.0.weight} the first Linear, {@code projector.1.running_var} its BatchNorm1d, ...).
 *
 * <p>The names are generated from the {@link ModelSpec} alongside the DJL paths that {@link ResNet} and
 * {@link Mlp} produce (DJL numbers a {@code SequentialBlock}'s children 01, 02, ... and a residual
 * {@code ParallelBlock} has the branch as 01 and the shortcut as 02), so a change of block layout fails
 * the test that compares both lists instead of silently mis-mapping.
 */
public final class TorchvisionNames {
    /** Prefix of projector tensors in an export with heads. */
    public static final String PROJECTOR = "projector.";
    /** Prefix of predictor tensors in an export with heads. */
    public static final String PREDICTOR = "predictor.";
    /** The BatchNorm buffer torchvision has and DJL does not (a step counter, int64 scalar). */
    public static final String NUM_BATCHES_TRACKED = "num_batches_tracked";

    private final Map<String, String> toTorch;
    private final List<String> batchNorms;

    private TorchvisionNames(Map<String, String> toTorch, List<String> batchNorms) {
        this.toTorch = Collections.unmodifiableMap(toTorch);
        this.batchNorms = List.copyOf(batchNorms);
    }

    /**
     * The backbone's names for {@code spec}: torchvision's for a ResNet, timm's for a ViT (the parameters'
     * own names, see {@link VisionTransformer}).
     */
    public static TorchvisionNames backbone(ModelSpec spec) {
        Map<String, String> map = new LinkedHashMap<>();
        List<String> bns = new ArrayList<>();
        if (spec.vit()) {
            for (String name : VisionTransformer.parameterNames(spec)) {
                map.put(SslModel.BACKBONE + name, name);
            }
            return new TorchvisionNames(map, bns);
        }
        conv(map, SslModel.BACKBONE + "01Conv2d", "conv1");
        batchNorm(map, bns, SslModel.BACKBONE + "02BatchNorm", "bn1", true);
        int child = spec.cifarStem() ? 4 : 5; // conv, bn, relu (, maxpool), then the residual blocks
        int convs = spec.bottleneck() ? 3 : 2;
        int expansion = spec.bottleneck() ? 4 : 1;
        int inChannels = spec.width();
        for (int stage = 0; stage < spec.blocks().size(); stage++) {
            int planes = spec.width() << stage;
            for (int i = 0; i < spec.blocks().get(stage); i++) {
                String djl = String.format("%s%02dParallelBlock_", SslModel.BACKBONE, child++);
                String tv = "layer" + (stage + 1) + "." + i + ".";
                for (int c = 0; c < convs; c++) {
                    // a branch is conv, bn, relu per conv (the last relu follows the addition)
                    conv(map, String.format("%s01SequentialBlock_%02dConv2d", djl, 3 * c + 1), tv + "conv" + (c + 1));
                    batchNorm(map, bns, String.format("%s01SequentialBlock_%02dBatchNorm", djl, 3 * c + 2),
                            tv + "bn" + (c + 1), true);
                }
                int stride = (stage > 0 && i == 0) ? 2 : 1;
                if (stride != 1 || inChannels != planes * expansion) {
                    conv(map, djl + "02SequentialBlock_01Conv2d", tv + "downsample.0");
                    batchNorm(map, bns, djl + "02SequentialBlock_02BatchNorm", tv + "downsample.1", true);
                }
                inChannels = planes * expansion;
            }
        }
        return new TorchvisionNames(map, bns);
    }

    /**
     * The backbone's names plus the heads' (the projector always, the predictor when the spec has one),
     * under {@link #PROJECTOR} and {@link #PREDICTOR}. A non-affine BatchNorm has no weight/bias in PyTorch,
     * so its frozen DJL gamma/beta are left out.
     */
    public static TorchvisionNames withHeads(ModelSpec spec) {
        TorchvisionNames b = backbone(spec);
        Map<String, String> map = new LinkedHashMap<>(b.toTorch);
        List<String> bns = new ArrayList<>(b.batchNorms);
        head(map, bns, spec.projector(), SslModel.PROJECTOR, PROJECTOR);
        if (spec.predictor() != null) {
            head(map, bns, spec.predictor(), SslModel.PREDICTOR, PREDICTOR);
        }
        return new TorchvisionNames(map, bns);
    }

    private static void head(Map<String, String> map, List<String> bns, HeadSpec head, String djlPrefix,
                             String tvPrefix) {
        int child = 1;
        for (HeadSpec.Layer layer : head.layers()) {
            String djl = String.format("%s%02dLinear", djlPrefix, child);
            map.put(djl + "_weight", tvPrefix + (child - 1) + ".weight");
            if (layer.bias()) {
                map.put(djl + "_bias", tvPrefix + (child - 1) + ".bias");
            }
            child++;
            if (layer.norm() != HeadSpec.Norm.NONE) {
                batchNorm(map, bns, String.format("%s%02dBatchNorm", djlPrefix, child), tvPrefix + (child - 1),
                        layer.norm() == HeadSpec.Norm.AFFINE);
                child++;
            }
            if (layer.relu()) {
                child++;
            }
        }
    }

    private static void conv(Map<String, String> map, String djl, String tv) {
        map.put(djl + "_weight", tv + ".weight");
    }

    private static void batchNorm(Map<String, String> map, List<String> bns, String djl, String tv, boolean affine) {
        if (affine) {
            map.put(djl + "_gamma", tv + ".weight");
            map.put(djl + "_beta", tv + ".bias");
        }
        map.put(djl + "_runningMean", tv + ".running_mean");
        map.put(djl + "_runningVar", tv + ".running_var");
        bns.add(tv);
    }

    /** DJL path ({@code backbone/01Conv2d_weight}, as in {@link SslModel#namedParameters()}) to PyTorch name. */
    public Map<String, String> toTorch() {
        return toTorch;
    }

    /** PyTorch name to DJL path. */
    public Map<String, String> toDjl() {
        Map<String, String> out = new LinkedHashMap<>();
        toTorch.forEach((djl, tv) -> out.put(tv, djl));
        return out;
    }

    /**
     * The PyTorch module names of every BatchNorm ({@code bn1}, {@code layer1.0.bn1}, ...), each of which has
     * a {@code num_batches_tracked} buffer in PyTorch.
     */
    public List<String> batchNorms() {
        return batchNorms;
    }
}
