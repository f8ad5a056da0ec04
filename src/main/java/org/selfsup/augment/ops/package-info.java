/**
 * Deterministic image operations that reproduce PIL 9.4 / torchvision 0.14 results on uint8 images.
 *
 * <p>Every op implements {@link org.selfsup.augment.ImageOp}: parameters are fixed at construction,
 * the input is never modified and exactly one output image is allocated. The arithmetic follows
 * Pillow's C code (fixed-point resampling, float blends, box-blur Gaussian approximation, NEAREST
 * affine transforms) so that outputs match the reference bit for bit.
 *
 * <p>May import {@code augment} (for {@code ImageOp}) and {@code data}.
 */
package org.selfsup.augment.ops;
