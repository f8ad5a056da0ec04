/**
 * torchvision's random transforms (and DSSL's RandAugment and grid shuffle) on top of the deterministic ops:
 * each samples its parameters from a seeded stream with torchvision's rules and applies
 * {@code augment.ops} ops, e.g. {@link org.selfsup.augment.random.RandomResizedCrop},
 * {@link org.selfsup.augment.random.ColorJitter}, {@link org.selfsup.augment.random.RandAugment}.
 *
 * <p>May import {@code augment}, {@code augment.ops}, {@code data} and {@code util}.
 */
package org.selfsup.augment.random;
