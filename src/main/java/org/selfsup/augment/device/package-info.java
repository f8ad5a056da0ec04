/**
 * Batched augmentation on the engine's device ({@code augment-on: device}): parameters sampled on the host
 * ({@link org.selfsup.augment.device.ParamSampler}), crops, resizes, flips and blurs as matrix products and
 * the colour ops as masked blends ({@link org.selfsup.augment.device.DeviceAugmenter}), plans derived from the
 * CPU declarations ({@link org.selfsup.augment.device.DevicePlan}), the epoch loader of the device path and
 * the measure of its distance to the PIL-exact views ({@link org.selfsup.augment.device.DeviceViewParity}).
 *
 * <p>May import {@code augment} and its {@code ops}, {@code random} and {@code plans}, {@code data} (and
 * {@code data.readers} for the synthetic images of the parity check) and {@code util}.
 */
package org.selfsup.augment.device;
