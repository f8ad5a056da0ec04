package org.selfsup.method;

/** RSA's aggressive-pair weight schedule (methods.md §2.5), a pure function of the step. */
public final class RsaBeta {
    private RsaBeta() {}

    /**
     * {@code beta(k) = beta0 * (1 + cos(pi * k / K)) / 2}.
     *
     * @param beta0 initial weight (RSA {@code --beta}, default 0.4)
     * @param k     global step, 1-based (the first training step is k = 1)
     * @param total K = epochs * floor(N / B)
     */
    public static double value(double beta0, long k, long total) {
        if (total <= 0) {
            throw new IllegalArgumentException("total steps must be positive, got " + total);
        }
        return beta0 * (1 + Math.cos(Math.PI * k / total)) / 2;
    }
}
