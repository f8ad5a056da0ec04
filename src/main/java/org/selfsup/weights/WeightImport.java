package org.selfsup.weights;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.selfsup.model.ParamValues;
import org.selfsup.model.PositionEmbeddings;
import org.selfsup.model.SslModel;
import org.selfsup.model.TorchvisionNames;
import org.selfsup.util.UserException;

/**
 * Loads a torchvision-named state dict into an {@link SslModel}: the backbone always, the projector and
 * predictor when the model has them (names under {@link TorchvisionNames#PROJECTOR}/{@code PREDICTOR}),
 * then the EMA target is re-synchronised. Floating tensors of any width are converted to float32.
 *
 * <p>Rules: a missing backbone tensor, a mis-shaped tensor or an integer tensor where a parameter belongs
 * is an error; missing head tensors are an error unless {@code strict} is false (the heads then keep
 * their fresh initialisation). {@code fc.*} (the ImageNet classifier), {@code num_batches_tracked} and,
 * for a model without heads, head tensors are ignored; any other tensor is unexpected: an error when
 * strict, a warning otherwise. NaN or infinite values are reported as warnings.
 */
public final class WeightImport {
    private WeightImport() {}

    /** How many tensors were loaded, and what was ignored or looked wrong. */
    public record Report(int loaded, int ignored, List<String> missingHeads, List<String> warnings) {}

    /**
     * Copies {@code weights} into {@code model}.
     *
     * @param source what the weights came from, for messages (file and flag)
     * @throws UserException listing the first few missing, unexpected or mis-shaped tensors
     */
    public static Report apply(Map<String, Tensor> weights, SslModel model, boolean strict, String source) {
        Map<String, Parameter> params = model.namedParameters();
        Map<String, String> toTorch = TorchvisionNames.withHeads(model.spec()).toTorch();
        List<String> missing = new ArrayList<>();
        List<String> missingHeads = new ArrayList<>();
        List<String> misShaped = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        boolean vit = model.spec().vit();
        if (vit) {
            weights = resizePositions(weights, model, warnings);
        }
        java.util.Set<String> expected = new java.util.HashSet<>();
        boolean hasHeads = model.projector() != null;
        for (Map.Entry<String, String> e : toTorch.entrySet()) {
            Parameter p = params.get(e.getKey());
            if (p == null) {
                continue; // a head this model was built without
            }
            String name = e.getValue();
            expected.add(name);
            Tensor t = weights.get(name);
            if (t == null) {
                (isHead(name) ? missingHeads : missing).add(name);
                continue;
            }
            Shape shape = p.getArray().getShape();
            if (!Arrays.equals(shape.getShape(), t.shape())) {
                misShaped.add(name + " is " + t.shapeText() + ", the model's is " + Arrays.toString(shape.getShape()));
            } else if (!t.dtype().floating()) {
                misShaped.add(name + " has dtype " + t.dtype() + ", not a floating type");
            }
        }
        if (!missing.isEmpty() || !misShaped.isEmpty()) {
            List<String> parts = new ArrayList<>();
            if (!misShaped.isEmpty()) {
                parts.add(WeightFiles.count(misShaped.size(), "tensor") + (misShaped.size() == 1 ? " does" : " do")
                        + " not fit the " + model.spec().arch() + " model: "
                        + WeightFiles.first(misShaped, 3));
            }
            if (!missing.isEmpty()) {
                parts.add(WeightFiles.count(missing.size(), "backbone tensor") + " missing: " + WeightFiles.first(missing, 4));
            }
            throw new UserException(source + ": " + String.join("; ", parts)
                    + " (another architecture, or a wrong --key-prefix?)");
        }
        if (!missingHeads.isEmpty() && strict) {
            throw new UserException(source + ": " + WeightFiles.count(missingHeads.size(), "head tensor") + " missing: "
                    + WeightFiles.first(missingHeads, 4) + " (--strict false, for train --init-strict false, keeps the heads' "
                    + "fresh initialisation)");
        }
        List<String> unexpected = new ArrayList<>();
        int ignored = 0;
        for (String name : weights.keySet()) {
            if (expected.contains(name)) {
                continue;
            }
            if ((vit ? vitIgnored(name) : name.startsWith("fc."))
                    || name.endsWith("." + TorchvisionNames.NUM_BATCHES_TRACKED) || !hasHeads && isHead(name)) {
                ignored++;
            } else {
                unexpected.add(name);
            }
        }
        if (!unexpected.isEmpty()) {
            String list = WeightFiles.count(unexpected.size(), "unexpected tensor") + ": " + WeightFiles.first(unexpected, 4);
            if (strict) {
                throw new UserException(source + ": " + list + " (not a " + (vit ? "timm-named ViT" : "torchvision ResNet")
                        + " state dict? --strict false ignores them)");
            }
            warnings.add(list + " (ignored)");
            ignored += unexpected.size();
        }
        int loaded = 0;
        List<String> nonFinite = new ArrayList<>();
        for (Map.Entry<String, String> e : toTorch.entrySet()) {
            Parameter p = params.get(e.getKey());
            Tensor t = p == null ? null : weights.get(e.getValue());
            if (t != null) {
                if (t.nonFinite() > 0) {
                    nonFinite.add(e.getValue() + " (" + t.nonFinite() + ")");
                }
                ParamValues.set(p.getArray(), t.floats());
                loaded++;
            }
        }
        if (!nonFinite.isEmpty()) {
            warnings.add(WeightFiles.count(nonFinite.size(), "tensor") + (nonFinite.size() == 1 ? " holds" : " hold")
                    + " NaN or infinite values: " + WeightFiles.first(nonFinite, 4));
        }
        model.syncTarget();
        return new Report(loaded, ignored, missingHeads, warnings);
    }

    /**
     * The tensors of a ViT file that are not the backbone and are skipped without a word: timm's classifier
     * {@code head.*} (MoCo v3's projection MLP is {@code head.*} of its encoders too), {@code head_dist.*}, and
     * MAE's pretraining decoder ({@code decoder_*}, {@code mask_token}).
     */
    private static boolean vitIgnored(String name) {
        return name.startsWith("head.") || name.startsWith("head_dist.") || name.startsWith("decoder_")
                || name.equals("mask_token");
    }

    /**
     * {@code weights} with its {@code pos_embed} resized to the model's grid when it was made for another one
     * (a square grid after one class-token row, the model's width), as timm's {@code checkpoint_filter_fn}
     * does (bicubic, see {@link PositionEmbeddings}), noted in {@code warnings}; otherwise unchanged.
     */
    private static Map<String, Tensor> resizePositions(Map<String, Tensor> weights, SslModel model,
                                                       List<String> warnings) {
        Tensor pos = weights.get("pos_embed");
        int grid = model.positionGrid();
        int dim = model.spec().width();
        if (pos == null || pos.shape().length != 3 || pos.shape()[0] != 1 || pos.shape()[2] != dim
                || pos.shape()[1] == 1L + (long) grid * grid || !pos.dtype().floating()) {
            return weights; // nothing to do, or a mismatch reported with the other shapes
        }
        long tokens = pos.shape()[1] - 1;
        int old = (int) Math.round(Math.sqrt(tokens));
        if ((long) old * old != tokens) {
            return weights;
        }
        float[] resized = PositionEmbeddings.resample(pos.floats(), 1, old, grid, dim, PositionEmbeddings.ANTIALIAS);
        Map<String, Tensor> out = new java.util.LinkedHashMap<>(weights);
        out.put("pos_embed", Tensor.f32(new long[] {1, 1L + (long) grid * grid, dim}, resized));
        warnings.add("pos_embed resized from a " + old + "x" + old + " to a " + grid + "x" + grid + " patch grid "
                + "(bicubic" + (PositionEmbeddings.ANTIALIAS ? ", antialiased" : "") + ", as timm loads weights made "
                + "for another image size)");
        return out;
    }

    private static boolean isHead(String name) {
        return name.startsWith(TorchvisionNames.PROJECTOR) || name.startsWith(TorchvisionNames.PREDICTOR);
    }
}
