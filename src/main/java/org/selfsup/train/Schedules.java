package org.selfsup.train;

/**
 * Learning-rate, EMA and loss-weight schedules as pure functions of the training position
 * (methods.md §2.5, §2.6, §2.8, §3.3). Nothing here has state, so resuming from saved step counters
 * continues every schedule exactly.
 */
public final class Schedules {
    private Schedules() {}

    /**
     * Per-epoch cosine without warm-up (RSA single GPU, DSSL ImageNet):
     * {@code base · 0.5 · (1 + cos(π · epoch / epochs))} with epochs numbered 0..E−1, so the last
     * epoch runs at a small positive rate, never 0.
     *
     * @param epoch  0-based epoch
     * @param epochs total epochs E
     */
    public static double cosineEpoch(double base, int epoch, int epochs) {
        requirePositive(epochs, "epochs");
        return base * 0.5 * (1 + Math.cos(Math.PI * epoch / epochs));
    }

    /**
     * Per-iteration linear warm-up then cosine (RSA multi GPU, §2.8): with {@code e = epoch + iter /
     * itersPerEpoch}, {@code base · e / W} while {@code e < W}, else
     * {@code base · 0.5 · (1 + cos(π · (e − W) / (E − W)))}.
     *
     * @param epoch         0-based epoch
     * @param iter          0-based iteration within the epoch
     * @param itersPerEpoch iterations per epoch
     * @param warmupEpochs  W (0 = no warm-up)
     * @param epochs        E
     */
    public static double warmupCosineStep(double base, int epoch, long iter, long itersPerEpoch,
                                          int warmupEpochs, int epochs) {
        requirePositive(epochs, "epochs");
        requirePositive(itersPerEpoch, "itersPerEpoch");
        double e = epoch + (double) iter / itersPerEpoch;
        if (e < warmupEpochs) {
            return base * e / warmupEpochs;
        }
        return base * 0.5 * (1 + Math.cos(Math.PI * (e - warmupEpochs) / (epochs - warmupEpochs)));
    }

    /**
     * DSSL CIFAR's per-epoch schedule (§3.3), epochs numbered 1..E: during warm-up ({@code epoch < W})
     * {@code base · linspace(0, 1, W)[epoch] = base · epoch / (W − 1)}; afterwards a cosine.
     *
     * <p><b>Project fix:</b> the original cosine {@code cos(π · (epoch − W) / (E − W))} reaches exactly 0
     * at the last epoch E, which is then wasted. Here the post-warm-up epochs W..E are numbered
     * 0..E−W out of {@code E − W + 1}, i.e. {@code base · 0.5 · (1 + cos(π · (epoch − W) / (E − W + 1)))},
     * exactly as {@link #cosineEpoch} numbers its epochs 0..E−1 out of E. Epoch W still gets the full rate
     * and the last epoch a small positive one.
     *
     * @param epoch1Based epoch in 1..E
     * @param warmup      W (0 or 1 = no warm-up)
     * @param epochs      E
     */
    public static double dsslEpoch(double base, int epoch1Based, int warmup, int epochs) {
        requirePositive(epochs, "epochs");
        if (epoch1Based < warmup) {
            return warmup <= 1 ? base : base * epoch1Based / (warmup - 1);
        }
        return base * 0.5 * (1 + Math.cos(Math.PI * (epoch1Based - warmup) / (epochs - warmup + 1)));
    }

    /**
     * BYOL/RSA target EMA rate (§2.6): {@code 1 − (1 − base) · (1 + cos(π · k / K)) / 2}, rising from
     * {@code base} to 1.
     *
     * @param k global step, 1-based
     * @param totalSteps K
     */
    public static double emaTau(double base, long k, long totalSteps) {
        requirePositive(totalSteps, "totalSteps");
        return 1 - (1 - base) * (1 + Math.cos(Math.PI * k / totalSteps)) / 2;
    }

    /** Constant EMA rate (DSSL-BYOL, §3.5). */
    public static double emaTauConstant(double base) {
        return base;
    }

    /**
     * RSA's aggressive-pair weight (§2.5): {@code beta0 · (1 + cos(π · k / K)) / 2}. Provided here so the
     * spec's table is checked next to the other schedules; the RSA method computes the same value.
     */
    public static double rsaBeta(double beta0, long k, long totalSteps) {
        requirePositive(totalSteps, "totalSteps");
        return beta0 * (1 + Math.cos(Math.PI * k / totalSteps)) / 2;
    }

    private static void requirePositive(long v, String what) {
        if (v <= 0) {
            throw new IllegalArgumentException(what + " must be positive, got " + v);
        }
    }
}
