/**
 * Golden reference cases for the image operations: the on-disk format ({@code cases.jsonl} plus raw
 * {@code .u8} images, see {@code src/test/resources/golden/README.md}), the mapping from a case's
 * {@code op} and {@code params} to an {@link org.selfsup.augment.ImageOp}, and the per-op
 * conformance check shared by the tests and {@code selfsup augment check}.
 *
 * <p>May import {@code augment}, {@code augment.ops}, {@code data} and {@code util}.
 */
package org.selfsup.augment.golden;
