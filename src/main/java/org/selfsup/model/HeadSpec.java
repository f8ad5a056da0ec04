package org.selfsup.model;

import java.util.List;

/**
 * An MLP head (projector or predictor) as a list of layers, each
 * {@code Linear(out, bias?) -> BatchNorm1d? -> ReLU?}. The input width comes from whatever feeds the
 * head (backbone features or the projector's output).
 *
 * @param layers the layers, input to output
 */
public record HeadSpec(List<Layer> layers) {

    /** BatchNorm1d after a Linear: none, affine (learned gamma/beta) or plain (affine=False). */
    public enum Norm { NONE, AFFINE, PLAIN }

    /**
     * One {@code Linear -> BN? -> ReLU?} layer.
     *
     * @param out  output width
     * @param bias whether the Linear has a bias
     * @param norm the BatchNorm1d that follows, if any
     * @param relu whether a ReLU follows
     */
    public record Layer(int out, boolean bias, Norm norm, boolean relu) {}

    public HeadSpec {
        layers = List.copyOf(layers);
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("a head needs at least one layer");
        }
    }

    /** Output width of the head. */
    public int outDim() {
        return layers.get(layers.size() - 1).out();
    }

    /** {@code Linear(hidden)+BN+ReLU -> Linear(out, bias=lastBias)}: BYOL/RSA style two-layer MLP. */
    public static HeadSpec twoLayer(int hidden, int out, boolean lastBias) {
        return new HeadSpec(List.of(
                new Layer(hidden, true, Norm.AFFINE, true),
                new Layer(out, lastBias, Norm.NONE, false)));
    }
}
