package org.selfsup.data;

import java.util.Arrays;

/**
 * An 8-bit image in height x width x channels (HWC) row-major layout, as PIL stores it.
 *
 * <p>Pixel values are unsigned bytes; use {@link #get(int, int, int)} to read them as 0..255.
 * Instances are treated as immutable by convention: operations return new images.
 */
public final class Image {
    private final int height;
    private final int width;
    private final int channels;
    private final byte[] data;

    /**
     * Wraps {@code data} (not copied).
     *
     * @throws IllegalArgumentException if the array length is not height*width*channels
     */
    public Image(int height, int width, int channels, byte[] data) {
        if (height <= 0 || width <= 0 || channels <= 0) {
            throw new IllegalArgumentException("image size must be positive: " + height + "x" + width + "x" + channels);
        }
        if (data.length != height * width * channels) {
            throw new IllegalArgumentException("data length " + data.length + " != " + height + "*" + width + "*" + channels);
        }
        this.height = height;
        this.width = width;
        this.channels = channels;
        this.data = data;
    }

    /** A new all-zero (black) image. */
    public static Image blank(int height, int width, int channels) {
        return new Image(height, width, channels, new byte[height * width * channels]);
    }

    public int height() { return height; }
    public int width() { return width; }
    public int channels() { return channels; }

    /** The backing array (HWC, row-major). Callers must not modify an image they did not create. */
    public byte[] data() { return data; }

    /** Value at (y, x, c) as 0..255. */
    public int get(int y, int x, int c) {
        return data[(y * width + x) * channels + c] & 0xFF;
    }

    /** Sets (y, x, c) to {@code v}, which must already be in 0..255. */
    public void set(int y, int x, int c, int v) {
        data[(y * width + x) * channels + c] = (byte) v;
    }

    /** A deep copy. */
    public Image copy() {
        return new Image(height, width, channels, data.clone());
    }

    /** This image with 3 channels: a grey image is repeated into R, G and B; RGB is returned as is. */
    public Image toRgb() {
        if (channels == 3) {
            return this;
        }
        if (channels != 1) {
            throw new IllegalStateException("cannot convert " + channels + "-channel image to RGB");
        }
        byte[] out = new byte[height * width * 3];
        for (int i = 0, n = height * width; i < n; i++) {
            byte v = data[i];
            out[3 * i] = v;
            out[3 * i + 1] = v;
            out[3 * i + 2] = v;
        }
        return new Image(height, width, 3, out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Image other && other.height == height && other.width == width
                && other.channels == channels && Arrays.equals(other.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * height + width) + channels) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Image[" + height + "x" + width + "x" + channels + "]";
    }
}
