package org.selfsup.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** The probe's classifier: Linear(D→C) with weight ~ N(0, std²) drawn from a seeded stream and bias 0. */
final class LinearHead implements AutoCloseable {
    private final NDManager manager;
    private final Linear block;
    private final ParameterStore store;
    private final Parameter weight;
    private final Parameter bias;
    private final int numClasses;

    LinearHead(NDManager parent, int dim, int numClasses, double initStd, SplittableRandom rng) {
        this.manager = parent.newSubManager();
        this.numClasses = numClasses;
        this.block = Linear.builder().setUnits(numClasses).build();
        block.initialize(manager, DataType.FLOAT32, new Shape(1, dim));
        this.store = new ParameterStore(manager, false);
        Parameter w = null;
        Parameter b = null;
        for (var p : block.getParameters()) {
            if (p.getValue().getType() == Parameter.Type.WEIGHT) {
                w = p.getValue();
            } else if (p.getValue().getType() == Parameter.Type.BIAS) {
                b = p.getValue();
            }
        }
        this.weight = w;
        this.bias = b;
        float[] init = new float[numClasses * dim];
        for (int i = 0; i < init.length; i++) {
            init[i] = (float) (rng.nextGaussian() * initStd);
        }
        weight.getArray().set(init);
        bias.getArray().set(new float[numClasses]);
    }

    int numClasses() {
        return numClasses;
    }

    /** Trainable parameters (weight, bias) for the optimiser. */
    List<Parameter> parameters() {
        List<Parameter> out = new ArrayList<>();
        out.add(weight);
        out.add(bias);
        return out;
    }

    /** Logits N x C. */
    NDArray forward(NDArray x, boolean training) {
        return block.forward(store, new NDList(x), training).singletonOrThrow();
    }

    /** Mean softmax cross-entropy of {@code logits} against integer {@code labels}. */
    static NDArray crossEntropy(NDArray logits, NDArray oneHotLabels) {
        return logits.logSoftmax(1).mul(oneHotLabels).sum(new int[] {1}).mean().neg();
    }

    /** A host copy of the weights, to restore the head of a chosen epoch later. */
    float[][] snapshot() {
        return new float[][] {weight.getArray().toFloatArray(), bias.getArray().toFloatArray()};
    }

    void restore(float[][] snapshot) {
        weight.getArray().set(snapshot[0]);
        bias.getArray().set(snapshot[1]);
    }

    @Override
    public void close() {
        manager.close();
    }
}
