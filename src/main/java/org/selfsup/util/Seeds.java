package org.selfsup.util;

import java.util.SplittableRandom;

/**
 * Derivation of independent random streams from one run seed.
 *
 * <p>Every random choice in selfsup flows from the run seed through these functions, keyed by what the
 * choice is about (e.g. epoch and image index for augmentation), so results never depend on thread
 * count, batch order or how many other random draws happened before.
 */
public final class Seeds {
    private Seeds() {}

    /** SplitMix64 finaliser: a strong 64-bit mixing function. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** A seed derived from a base seed and a sequence of keys. */
    public static long derive(long seed, long... keys) {
        long h = mix(seed ^ 0x9E3779B97F4A7C15L);
        for (long k : keys) {
            h = mix(h + 0x9E3779B97F4A7C15L + mix(k));
        }
        return h;
    }

    /** A random stream for the given keys, e.g. {@code stream(seed, STREAM_AUGMENT, epoch, index)}. */
    public static SplittableRandom stream(long seed, long... keys) {
        return new SplittableRandom(derive(seed, keys));
    }

    /** A uniformly random permutation of {@code 0..n-1} (Fisher–Yates) drawn from {@code rng}. */
    public static int[] permutation(int n, SplittableRandom rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** Key for augmentation streams: {@code stream(seed, AUGMENT, epoch, imageIndex)}. */
    public static final long AUGMENT = 1;
    /** Key for the per-epoch shuffle of the training set: {@code stream(seed, SHUFFLE, epoch)}. */
    public static final long SHUFFLE = 2;
    /** Key for weight initialisation. */
    public static final long INIT = 3;
    /** Key for evaluation randomness (probe augmentation and shuffling). */
    public static final long EVAL = 4;
    /** Key for data splitting (validation fractions, subsets). */
    public static final long SPLIT = 5;
}
