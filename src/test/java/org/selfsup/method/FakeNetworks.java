package org.selfsup.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.selfsup.model.Networks;

/**
 * Linear stand-ins for the networks: features(x) = x, project(x) = x P, predict(z) = z Q,
 * targetProject(x) = sg(x T). Counts forward passes.
 */
final class FakeNetworks implements Networks {
    static final double[][] P = {{1, 0, 0.5}, {0, 1, 0}, {1, 0, 1}};
    static final double[][] Q = {{0, 1, 0}, {1, 0, 0.25}, {0, 0, 1}};
    static final double[][] T = {{1, 1, 0}, {0, 1, 0}, {0, -0.5, 1}};

    private final NDArray p;
    private final NDArray q;
    private final NDArray t;
    int projectCalls;
    int predictCalls;
    int targetCalls;

    FakeNetworks(NDManager m) {
        p = m.create(toFloat(P));
        q = m.create(toFloat(Q));
        t = m.create(toFloat(T));
    }

    static float[][] toFloat(double[][] a) {
        float[][] out = new float[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = new float[a[i].length];
            for (int j = 0; j < a[i].length; j++) {
                out[i][j] = (float) a[i][j];
            }
        }
        return out;
    }

    @Override
    public NDArray features(NDArray x) {
        return x;
    }

    @Override
    public NDArray project(NDArray x) {
        projectCalls++;
        return x.matMul(p);
    }

    @Override
    public NDArray predict(NDArray z) {
        predictCalls++;
        return z.matMul(q);
    }

    @Override
    public NDArray targetProject(NDArray x) {
        targetCalls++;
        return x.matMul(t).stopGradient();
    }
}
