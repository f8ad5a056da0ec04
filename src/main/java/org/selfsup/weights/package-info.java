/**
 * Weight files in the formats of the PyTorch world: safetensors ({@link org.selfsup.weights.Safetensors}),
 * {@code torch.save} zips read without Python ({@link org.selfsup.weights.TorchCheckpoint}), either one by
 * content ({@link org.selfsup.weights.WeightFiles}), and the torchvision/timm-named state dict of an
 * {@code SslModel} in both directions ({@link org.selfsup.weights.WeightImport},
 * {@link org.selfsup.weights.WeightExport}).
 *
 * <p>May import {@code model} and {@code util}.
 */
package org.selfsup.weights;
