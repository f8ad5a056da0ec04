package org.selfsup.augment.device;

/**
 * How one view is made on the device: either from the source image (random-resized crop and flip) or
 * from another view's image (a derived view shares that view's crop and flip), followed by the colour
 * stack. Probabilities of 0 switch an op off.
 *
 * @param name       view name, e.g. {@code w1}
 * @param source     name of the view this one is derived from, or {@code null} for a view of the source image
 * @param scaleMin   RandomResizedCrop area-fraction lower bound (ignored for derived views)
 * @param scaleMax   RandomResizedCrop area-fraction upper bound
 * @param flipP      probability of a horizontal flip
 * @param jitterP    probability of applying ColorJitter
 * @param brightness ColorJitter brightness strength (factor ~ U(max(0, 1-b), 1+b))
 * @param contrast   ColorJitter contrast strength
 * @param saturation ColorJitter saturation strength
 * @param hue        ColorJitter hue strength (shift ~ U(-h, h))
 * @param grayP      probability of RandomGrayscale
 * @param blurP      probability of GaussianBlur
 * @param sigmaMin   blur radius lower bound
 * @param sigmaMax   blur radius upper bound
 * @param solarizeP  probability of Solarize(128)
 */
public record DeviceViewRecipe(String name, String source, double scaleMin, double scaleMax, double flipP,
                               double jitterP, double brightness, double contrast, double saturation, double hue,
                               double grayP, double blurP, double sigmaMin, double sigmaMax, double solarizeP) {

    /** True if the view is made from the source image (it has its own crop and flip). */
    public boolean fromSource() {
        return source == null;
    }

    /** Weak view: RandomResizedCrop(scale scaleMin–scaleMax) and flip only. */
    public static DeviceViewRecipe weak(String name, double scaleMin, double scaleMax) {
        return new DeviceViewRecipe(name, null, scaleMin, scaleMax, 0.5, 0, 0, 0, 0, 0, 0, 0, 0.1, 2.0, 0);
    }
}
