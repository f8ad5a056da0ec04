package org.selfsup.augment.device;

import java.nio.ByteBuffer;

/**
 * The host-side half of a device batch, made by {@link DeviceAugmenter#prepare}: the source pixels of
 * the batch packed into one direct buffer (uint8, B x H x W x C) and the sampled parameters.
 *
 * @param indices  store indices of the images, in batch order
 * @param epoch    the epoch the parameters were sampled for
 * @param height   image height
 * @param width    image width
 * @param channels 1 (grey) or 3
 * @param pixels   the packed pixels (position 0, limit = B*H*W*C)
 * @param params   the views' random parameters
 */
public record HostBatch(int[] indices, int epoch, int height, int width, int channels, ByteBuffer pixels,
                        BatchParams params) {
}
