/**
 * The benchmarks behind {@code selfsup bench}: CPU and device augmentation throughput
 * ({@link org.selfsup.bench.AugBench}, {@link org.selfsup.bench.DeviceAugBench}), the training step
 * ({@link org.selfsup.bench.StepBench}), a whole epoch with the real input pipeline
 * ({@link org.selfsup.bench.EpochBench}) and the parameter updates alone ({@link org.selfsup.bench.UpdateBench}).
 * The JMH micro-benchmarks are in the tests ({@code bench/jmh}).
 *
 * <p>Below {@code cli}; may import {@code job} and the packages below it.
 */
package org.selfsup.bench;
