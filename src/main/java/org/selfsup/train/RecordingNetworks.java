package org.selfsup.train;

import ai.djl.ndarray.NDArray;
import org.selfsup.method.Networks;

/**
 * Passes forward calls through and remembers the first online projection of the step, for the collapse
 * diagnostic (std of L2-normalised projections), computed only on logged steps.
 */
final class RecordingNetworks implements Networks {
    private final Networks inner;
    private NDArray firstProjection;

    RecordingNetworks(Networks inner) {
        this.inner = inner;
    }

    @Override
    public NDArray features(NDArray x) {
        return inner.features(x);
    }

    @Override
    public NDArray project(NDArray x) {
        NDArray z = inner.project(x);
        if (firstProjection == null) {
            firstProjection = z;
        }
        return z;
    }

    @Override
    public NDArray predict(NDArray z) {
        return inner.predict(z);
    }

    @Override
    public NDArray targetProject(NDArray x) {
        return inner.targetProject(x);
    }

    /**
     * Mean over dimensions of the per-dimension std (over the batch) of the L2-normalised first online
     * projection: about {@code 1/sqrt(dim)} when healthy, near 0 when the representation collapses. NaN
     * when the method made no projection. Reads one value back from the device.
     */
    double projectionStd() {
        if (firstProjection == null) {
            return Double.NaN;
        }
        NDArray z = firstProjection.stopGradient();
        NDArray n = z.div(z.norm(new int[] {1}, true).maximum(1e-12f));
        NDArray centred = n.sub(n.mean(new int[] {0}, true));
        return centred.square().mean(new int[] {0}).sqrt().mean().getFloat();
    }
}
