/**
 * Trained encoders in and out of selfsup: {@link org.selfsup.encoder.TrainedEncoder} (a checkpoint's
 * configuration and backbone, read by {@link org.selfsup.encoder.TrainedEncoder#fromCheckpoint}),
 * {@link org.selfsup.encoder.ExportedEncoder} (a backbone as a DJL model directory),
 * {@link org.selfsup.encoder.TorchvisionExport} (torchvision/timm-named safetensors with a sidecar) and
 * {@link org.selfsup.encoder.ImportedEncoder} (torchvision/timm-named weights as an encoder).
 *
 * <p>Above {@code eval} (whose input conversion and input size it uses) and {@code train.checkpoint}, below
 * {@code cli}. May import {@code eval}, {@code train.checkpoint}, {@code method}, {@code model},
 * {@code weights}, {@code data}, {@code config}, {@code runtime} and {@code util}; nothing below it imports
 * this package.
 */
package org.selfsup.encoder;
