package org.selfsup.augment.plans;

import java.util.SplittableRandom;
import org.selfsup.augment.RandomTransform;
import org.selfsup.augment.ops.CenterCrop;
import org.selfsup.augment.ops.ResizedCrop;
import org.selfsup.data.Image;

/**
 * The deterministic test-time geometry (no randomness): optionally resize to {@code resize x resize}
 * (bilinear, PIL), then take the centre {@code size x size} crop as torchvision {@code CenterCrop}
 * ({@code top = round((H - size) / 2)}). Without a resize step, an image whose side differs from
 * {@code size} has its centre square resized to {@code size} (e.g. STL-10 96 to 64); an image that
 * already has the view size is returned unchanged.
 *
 * <p>DSSL's CIFAR test transform is {@code Resize(36, bicubic)} then {@code CenterCrop(32)}: with
 * {@code resize = 36} selfsup does the same geometry with bilinear resampling (there is no PIL-exact
 * bicubic op); RSA evaluates CIFAR at its native size (no resize, the identity here).
 */
public final class ResizeCenterCrop implements RandomTransform {
    private final int size;
    private final int resize;

    /**
     * @param size   output side
     * @param resize intermediate side (bilinear resize of the centre square), 0 for none
     */
    public ResizeCenterCrop(int size, int resize) {
        if (size <= 0 || resize < 0 || (resize > 0 && resize < size)) {
            throw new IllegalArgumentException("eval transform needs 0 < size <= resize (or resize 0): " + size + ", " + resize);
        }
        this.size = size;
        this.resize = resize;
    }

    @Override
    public Image apply(Image in, SplittableRandom rng) {
        Image img = in;
        if (resize > 0) {
            return new CenterCrop(size).apply(squareResize(img, resize));
        }
        if (img.height() == size && img.width() == size) {
            return img;
        }
        return squareResize(img, size);
    }

    /** The centre square of {@code img} resized to {@code side x side}. */
    private static Image squareResize(Image img, int side) {
        int s = Math.min(img.height(), img.width());
        if (s == side && img.height() == img.width()) {
            return img;
        }
        return new ResizedCrop((img.height() - s) / 2, (img.width() - s) / 2, s, s, side).apply(img);
    }
}
