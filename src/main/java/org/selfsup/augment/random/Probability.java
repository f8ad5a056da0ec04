package org.selfsup.augment.random;

/** Validation of probability arguments. */
final class Probability {
    private Probability() {}

    static double check(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("probability must be in [0, 1]: " + p);
        }
        return p;
    }
}
