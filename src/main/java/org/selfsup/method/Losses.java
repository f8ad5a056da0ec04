package org.selfsup.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import org.selfsup.model.Networks;

/**
 * Loss primitives of methods.md §1.1, written without host-side scalar constants (each of those is a
 * blocking host-to-device copy on a GPU).
 */
public final class Losses {
    private Losses() {}

    /** PyTorch {@code F.normalize} epsilon. */
    public static final double NORMALIZE_EPS = 1e-12;

    /** Row-wise L2 normalisation {@code x / max(||x||, 1e-12)} (PyTorch {@code F.normalize}). */
    public static NDArray normalize(NDArray x) {
        return x.normalize(2, 1, NORMALIZE_EPS);
    }

    /**
     * BYOL/RSA normalised MSE per sample: {@code 2 - 2 <n(p), n(z)>} (= {@code ||n(p) - n(z)||^2} for
     * non-zero rows). No stop-gradient: detach {@code z} where needed.
     *
     * @return N values in [0, 4]
     */
    public static NDArray normalizedMse(NDArray p, NDArray z) {
        NDArray c = cosine(p, z);
        // (1 - c) + (1 - c), with the ones made on the device (no host scalar copies).
        NDArray oneMinus = c.onesLike().sub(c);
        return oneMinus.add(oneMinus);
    }

    /**
     * SimSiam/DSSL negative cosine {@code D(p, z) = -mean <n(p), n(sg z)>}: the stop-gradient on
     * {@code z} is applied here.
     *
     * @return a scalar in [-1, 1]
     */
    public static NDArray negativeCosine(NDArray p, NDArray z) {
        return cosine(p, z.stopGradient()).mean().neg();
    }

    /** Row-wise cosine similarity {@code <n(a), n(b)>} (N values), with gradients. */
    public static NDArray cosine(NDArray a, NDArray b) {
        return normalize(a).mul(normalize(b)).sum(new int[] {1});
    }

    /** Mean cosine similarity of two embeddings, detached: the semantic-shift diagnostic. */
    public static NDArray meanCosine(NDArray a, NDArray b) {
        return cosine(a.stopGradient(), b.stopGradient()).mean();
    }

    /**
     * Mean of scalar losses, e.g. {@code 0.5 D(p1, z2) + 0.5 D(p2, z1)} as {@code average(D12, D21)}
     * (a device-side mean instead of host constants).
     */
    public static NDArray average(NDArray... scalars) {
        return NDArrays.stack(new NDList(scalars)).mean();
    }

    /**
     * The symmetric loss of SimSiam, DSSL and DSSL's BYOL code between views a and b,
     * {@code 0.5 D(p_a, z_b) + 0.5 D(p_b, z_a)} (methods.md §3.3-3.5): each view's prediction against the
     * other view's projection, which is the online one (stop-gradient applied by {@link #negativeCosine})
     * or the EMA target's.
     */
    public static NDArray symmetricNegativeCosine(NDArray pa, NDArray za, NDArray pb, NDArray zb) {
        return average(negativeCosine(pa, zb), negativeCosine(pb, za));
    }

    /** {@code log sum_j exp(x_ij)} of each row, stabilised by the (detached) row maximum. */
    public static NDArray logSumExpRows(NDArray logits) {
        NDArray rowMax = logits.max(new int[] {1}, true).stopGradient();
        return logits.sub(rowMax).exp().sum(new int[] {1}).log().add(rowMax.squeeze(1));
    }

    /**
     * InfoNCE of queries against keys: {@code CrossEntropy(n(q) n(k)^T / tau, labels = 0..N-1)}, mean over the N
     * queries; each query's positive is the key of its own image, the other keys are its negatives. {@code k}
     * is detached here.
     *
     * @param nets for device constants only
     */
    public static NDArray infoNce(Networks nets, NDArray q, NDArray k, double tau) {
        NDArray qn = normalize(q);
        NDArray kn = normalize(k.stopGradient());
        NDArray logits = qn.matMul(kn.transpose()).mul(nets.constant((float) (1 / tau), qn));
        NDArray positive = qn.mul(kn).sum(new int[] {1}).mul(nets.constant((float) (1 / tau), qn));
        return logSumExpRows(logits).sub(positive).mean();
    }

    /**
     * Collapse indicator: mean over dimensions of the (population) standard deviation over the batch of
     * the L2-normalised embedding, detached.
     */
    public static NDArray projectionStd(NDArray z) {
        NDArray n = normalize(z.stopGradient());
        return n.sub(n.mean(new int[] {0}, true)).square().mean(new int[] {0}).sqrt().mean();
    }
}
