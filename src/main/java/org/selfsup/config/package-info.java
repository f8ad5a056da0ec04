/**
 * A run's configuration: {@link org.selfsup.config.TrainConfig} (every key of a pretraining run), its
 * layers (base defaults, {@link org.selfsup.config.Presets}, a config file, flags) merged by
 * {@link org.selfsup.config.ConfigResolver} and checked by {@link org.selfsup.config.ConfigValidator}, the
 * keys and their choices ({@link org.selfsup.config.ConfigKeys}, {@link org.selfsup.config.Choices}), value
 * conversion and file I/O.
 *
 * <p>The lists of valid values belong to their owners, so this package may import {@code data} (with
 * {@code data.readers} and {@code data.stream}), {@code augment} (with {@code augment.ops} and
 * {@code augment.plans}), {@code model}, {@code method}, {@code optim}, {@code runtime} and {@code util};
 * never {@code train}, {@code eval}, {@code job} or {@code cli}.
 */
package org.selfsup.config;
