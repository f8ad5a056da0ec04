package org.selfsup.augment.device;

import java.util.SplittableRandom;

/** Samples RandomResizedCrop parameters {@code {top, left, height, width}} for an image of the given size. */
@FunctionalInterface
public interface CropSampler {
    int[] sample(int height, int width, SplittableRandom rng);

    /**
     * torchvision's {@code RandomResizedCrop.get_params}: area fraction ~ U(scaleMin, scaleMax), aspect
     * ratio log-uniform in [3/4, 4/3], 10 tries, then the centre-crop fallback; Python's round-half-even.
     */
    static CropSampler torchvision(double scaleMin, double scaleMax) {
        double logLo = Math.log(3.0 / 4.0);
        double logHi = Math.log(4.0 / 3.0);
        return (height, width, rng) -> {
            double area = (double) height * width;
            for (int attempt = 0; attempt < 10; attempt++) {
                double target = area * (scaleMin + (scaleMax - scaleMin) * rng.nextDouble());
                double aspect = Math.exp(logLo + (logHi - logLo) * rng.nextDouble());
                int w = (int) Math.rint(Math.sqrt(target * aspect));
                int h = (int) Math.rint(Math.sqrt(target / aspect));
                if (w > 0 && w <= width && h > 0 && h <= height) {
                    int top = rng.nextInt(height - h + 1);
                    int left = rng.nextInt(width - w + 1);
                    return new int[] {top, left, h, w};
                }
            }
            double inRatio = (double) width / height;
            int w;
            int h;
            if (inRatio < 3.0 / 4.0) {
                w = width;
                h = (int) Math.rint(w / (3.0 / 4.0));
            } else if (inRatio > 4.0 / 3.0) {
                h = height;
                w = (int) Math.rint(h * (4.0 / 3.0));
            } else {
                w = width;
                h = height;
            }
            return new int[] {(height - h) / 2, (width - w) / 2, h, w};
        };
    }
}
