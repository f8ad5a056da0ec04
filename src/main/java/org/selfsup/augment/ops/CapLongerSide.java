package org.selfsup.augment.ops;

import java.util.Objects;
import org.selfsup.augment.ImageOp;
import org.selfsup.data.Image;
import org.selfsup.data.PictureResizer;

/**
 * Caps an image's longer side at {@code maxSide}, keeping the aspect ratio, as FFCV's
 * {@code max_resolution}: the longer side becomes {@code maxSide}, the shorter one
 * {@code floor(shorter * maxSide / longer)} (at least 1), then PIL {@code resize} with the filter. An
 * image whose longer side is already at most {@code maxSide} is returned unchanged (never upsampled,
 * never cropped).
 *
 * @param maxSide largest allowed length of the longer side
 * @param filter  PIL resampling filter
 */
public record CapLongerSide(int maxSide, Resampling filter) implements ImageOp {
    /** The pre-resized store's resize ({@code --preresize-max-side}): the longer side capped, Pillow's bicubic. */
    public static final PictureResizer PIL_BICUBIC = new PictureResizer() {
        @Override
        public Image shrink(Image picture, int side) {
            return new CapLongerSide(side, Resampling.BICUBIC).apply(picture);
        }

        @Override
        public String describe() {
            return "cap-longer-side " + Resampling.BICUBIC;
        }
    };

    public CapLongerSide {
        if (maxSide <= 0) {
            throw new IllegalArgumentException("max side must be positive: " + maxSide);
        }
        Objects.requireNonNull(filter);
    }

    /** The output size {height, width} of a {@code height x width} picture. */
    public int[] outputSize(int height, int width) {
        int longer = Math.max(height, width);
        if (longer <= maxSide) {
            return new int[] {height, width};
        }
        // FFCV truncates (ratio * size).astype(int); integer arithmetic keeps it exact
        int shorter = (int) Math.max(1, (long) Math.min(height, width) * maxSide / longer);
        return height >= width ? new int[] {maxSide, shorter} : new int[] {shorter, maxSide};
    }

    @Override
    public Image apply(Image in) {
        int[] out = outputSize(in.height(), in.width());
        if (out[0] == in.height() && out[1] == in.width()) {
            return in;
        }
        return new ResizedCrop(0, 0, in.height(), in.width(), out[0], out[1], filter).apply(in);
    }
}
