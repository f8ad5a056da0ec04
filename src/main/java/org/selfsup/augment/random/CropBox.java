package org.selfsup.augment.random;

/**
 * A crop rectangle in source-image pixels, as torchvision's {@code RandomResizedCrop.get_params}
 * returns it: {@code (i, j, h, w)} = (top, left, height, width).
 */
public record CropBox(int top, int left, int height, int width) {
    /** Area of the box in pixels. */
    public long area() {
        return (long) height * width;
    }
}
