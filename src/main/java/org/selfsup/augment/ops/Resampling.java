package org.selfsup.augment.ops;

/**
 * The PIL resampling filters selfsup reproduces for resizes ({@code Image.resize}, torchvision
 * {@code resize} / {@code resized_crop} on PIL images): Pillow's {@code Resample.c} filter functions
 * and supports.
 */
public enum Resampling {
    /** {@code Image.BILINEAR}: triangle filter, support 1 (torchvision's default). */
    BILINEAR(1.0) {
        @Override
        double weight(double x) {
            double ax = Math.abs(x);
            return ax < 1.0 ? 1.0 - ax : 0.0;
        }
    },
    /** {@code Image.BICUBIC}: Keys cubic convolution with a = -0.5, support 2 (DSSL's probe transforms). */
    BICUBIC(2.0) {
        @Override
        double weight(double x) {
            // Pillow's bicubic_filter, written with its own constant and branch order.
            double a = -0.5;
            double ax = Math.abs(x);
            if (ax < 1.0) {
                return ((a + 2.0) * ax - (a + 3.0)) * ax * ax + 1;
            }
            if (ax < 2.0) {
                return (((ax - 5) * ax + 8) * ax - 4) * a;
            }
            return 0.0;
        }
    };

    private final double support;

    Resampling(double support) {
        this.support = support;
    }

    /** Half-width of the filter in input samples at scale 1. */
    double support() {
        return support;
    }

    /** The filter's weight at distance {@code x} (in output-scaled input samples). */
    abstract double weight(double x);
}
