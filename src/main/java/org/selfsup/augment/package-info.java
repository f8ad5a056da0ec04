/**
 * Image augmentation on the CPU, PIL/torchvision-exact: the op and transform interfaces
 * ({@link org.selfsup.augment.ImageOp}, {@link org.selfsup.augment.RandomTransform}), view plans
 * ({@link org.selfsup.augment.ViewPlan}) and the batches of views a training step reads
 * ({@link org.selfsup.augment.BatchAssembler}, {@link org.selfsup.augment.EpochLoader},
 * {@link org.selfsup.augment.ViewBatch}). The ops are in {@code augment.ops}, the random transforms in
 * {@code augment.random}, the plan declarations in {@code augment.plans}, the batched device path in
 * {@code augment.device} and the golden conformance check in {@code augment.golden}.
 *
 * <p>May import {@code data}, {@code util} and its subpackage {@code augment.ops} (whose ops implement
 * {@code ImageOp}); never {@code model} or anything above it.
 */
package org.selfsup.augment;
