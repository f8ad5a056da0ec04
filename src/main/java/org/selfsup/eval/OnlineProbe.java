package org.selfsup.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.selfsup.model.Scalars;

/**
 * The online linear probe's classifier (solo-learn's practice): a linear layer trained during pretraining on
 * the detached features of each step's labelled training images, with its own optimiser (SGD, learning
 * rate {@link #LR}, momentum {@link #MOMENTUM}, no weight decay, softmax cross-entropy over the batch's
 * labelled images). Its gradient is written out by hand ({@code dW = X^T (softmax(XW + b) - onehot) / n}),
 * so nothing is recorded for autograd and the encoder can receive no gradient from it.
 *
 * <p>Its arrays live on the device, in its own manager; a step syncs nothing with the host. The running
 * train accuracy and loss since the last read are summed on the device and read on logged steps only.
 */
public final class OnlineProbe implements AutoCloseable {
    /** The probe's learning rate. */
    public static final float LR = 0.1f;
    /** The probe's momentum. */
    public static final float MOMENTUM = 0.9f;

    private final NDManager manager;
    private final int dim;
    private final int classes;
    private final NDArray weight;
    private final NDArray bias;
    private final NDArray weightMomentum;
    private final NDArray biasMomentum;
    private final NDArray lr;
    private final NDArray momentum;
    private NDArray correct;
    private NDArray lossSum;
    private long seen;
    private long steps;

    /**
     * A probe with zero weights, on {@code parent}'s device.
     *
     * @param dim     feature dimension
     * @param classes number of classes
     */
    public OnlineProbe(NDManager parent, int dim, int classes) {
        this.manager = parent.newSubManager();
        this.dim = dim;
        this.classes = classes;
        this.weight = manager.zeros(new Shape(dim, classes));
        this.bias = manager.zeros(new Shape(classes));
        this.weightMomentum = manager.zeros(new Shape(dim, classes));
        this.biasMomentum = manager.zeros(new Shape(classes));
        // on the device once: a Java number operand would be a host-to-device copy per step (see Scalars)
        this.lr = Scalars.of(manager, LR);
        this.momentum = Scalars.of(manager, MOMENTUM);
        resetRunning();
    }

    public int dim() {
        return dim;
    }

    /** The number of optimiser steps taken. */
    public long steps() {
        return steps;
    }

    /**
     * One SGD step on {@code features} (N x D float32, detached) with {@code labels} ({@code -1} = unlabelled,
     * left out); temporaries go to {@code step}. Nothing when no image is labelled.
     */
    public void train(NDManager step, NDArray features, int[] labels) {
        int n = labels.length;
        float[] onehot = new float[n * classes];
        float[] weights = new float[n];
        int valid = 0;
        for (int i = 0; i < n; i++) {
            if (labels[i] >= 0 && labels[i] < classes) {
                valid++;
            }
        }
        if (valid == 0) {
            return;
        }
        int[] target = new int[n];
        for (int i = 0; i < n; i++) {
            if (labels[i] >= 0 && labels[i] < classes) {
                onehot[i * classes + labels[i]] = 1f;
                weights[i] = 1f / valid;
                target[i] = labels[i];
            } else {
                target[i] = -1;
            }
        }
        NDArray x = features.toType(DataType.FLOAT32, false);
        NDArray y = step.create(onehot, new Shape(n, classes));
        NDArray w = step.create(weights, new Shape(n, 1));
        NDArray logits = x.matMul(weight).add(bias);
        NDArray logP = logits.logSoftmax(1);
        NDArray g = logP.exp().sub(y).mul(w); // d(mean cross-entropy)/d(logits)
        NDArray gw = x.transpose().matMul(g);
        NDArray gb = g.sum(new int[] {0});
        weightMomentum.muli(momentum).addi(gw);
        biasMomentum.muli(momentum).addi(gb);
        try (NDArray dw = weightMomentum.mul(lr); NDArray db = biasMomentum.mul(lr)) {
            weight.subi(dw);
            bias.subi(db);
        }
        // running statistics, summed on the device
        NDArray hit = logits.argMax(1).toType(DataType.INT32, false).eq(step.create(target))
                .toType(DataType.FLOAT32, false).sum();
        NDArray loss = logP.mul(y).sum().neg().div(Scalars.of(step, valid));
        try (NDArray c = correct; NDArray l = lossSum) {
            correct = c.add(hit);
            lossSum = l.add(loss);
        }
        correct.attach(manager);
        lossSum.attach(manager);
        seen += valid;
        steps++;
    }

    /**
     * The running train accuracy (percent) and mean loss over the steps since the last call, then reset;
     * null when no labelled image was seen. A host sync.
     */
    public double[] readRunning(long stepsSince) {
        if (seen == 0) {
            return null;
        }
        double acc = 100.0 * correct.getFloat() / seen;
        double loss = lossSum.getFloat() / Math.max(1, stepsSince);
        resetRunning();
        return new double[] {acc, loss};
    }

    private void resetRunning() {
        if (correct != null) {
            correct.close();
            lossSum.close();
        }
        correct = manager.zeros(new Shape());
        lossSum = manager.zeros(new Shape());
        seen = 0;
    }

    /** Top-1 accuracy (percent) of the probe on host features (N x D) with their labels. */
    public double accuracy(FeatureMatrix features, int[] labels) {
        float[] w = weight.toFloatArray();
        float[] b = bias.toFloatArray();
        int correctCount = 0;
        for (int i = 0; i < features.rows(); i++) {
            float[] x = features.row(i);
            int best = 0;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                double s = b[c];
                for (int d = 0; d < dim; d++) {
                    s += (double) x[d] * w[d * classes + c];
                }
                if (s > bestScore) {
                    bestScore = s;
                    best = c;
                }
            }
            if (best == labels[i]) {
                correctCount++;
            }
        }
        return 100.0 * correctCount / Math.max(1, features.rows());
    }

    /** Writes the classifier and its optimiser state. */
    public void save(DataOutputStream out) throws IOException {
        out.writeInt(dim);
        out.writeInt(classes);
        out.writeLong(steps);
        for (NDArray a : new NDArray[] {weight, bias, weightMomentum, biasMomentum}) {
            for (float v : a.toFloatArray()) {
                out.writeFloat(v);
            }
        }
    }

    /**
     * Reads what {@link #save} wrote.
     *
     * @throws IOException when the shapes differ (another model) or the stream is short
     */
    public void load(DataInputStream in) throws IOException {
        int d = in.readInt();
        int c = in.readInt();
        if (d != dim || c != classes) {
            throw new IOException("online probe state of " + d + " x " + c + ", expected " + dim + " x " + classes);
        }
        long s = in.readLong();
        for (NDArray a : new NDArray[] {weight, bias, weightMomentum, biasMomentum}) {
            float[] v = new float[(int) a.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = in.readFloat();
            }
            a.set(v);
        }
        steps = s;
    }

    @Override
    public void close() {
        manager.close();
    }
}
