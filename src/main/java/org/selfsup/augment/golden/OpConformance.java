package org.selfsup.augment.golden;

/**
 * Conformance of one op over its golden cases.
 *
 * @param op          the op name
 * @param cases       number of cases
 * @param values      number of output values compared (a shape mismatch counts all expected values as wrong)
 * @param identical   number of values equal to the reference
 * @param maxAbsDiff  largest absolute difference (255 for a shape mismatch)
 */
public record OpConformance(String op, int cases, long values, long identical, int maxAbsDiff) {
    /** Minimum fraction of identical values to pass. */
    public static final double MIN_IDENTICAL = 0.99;
    /** Largest absolute difference allowed to pass. */
    public static final int MAX_DIFF = 1;

    /** Fraction of output values identical to the reference (1 when there are none). */
    public double fractionIdentical() {
        return values == 0 ? 1.0 : (double) identical / values;
    }

    /** Whether the op meets the bar: at least 99% identical values and none off by more than 1. */
    public boolean passes() {
        return fractionIdentical() >= MIN_IDENTICAL && maxAbsDiff <= MAX_DIFF;
    }

    /** This result with one more case's counts added. */
    OpConformance plus(long caseValues, long caseIdentical, int caseMaxDiff) {
        return new OpConformance(op, cases + 1, values + caseValues, identical + caseIdentical,
                Math.max(maxAbsDiff, caseMaxDiff));
    }
}
