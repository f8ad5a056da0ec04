/**
 * Backbones, heads and the SSL model container.
 *
 * <ul>
 *   <li>{@link org.selfsup.model.ModelSpec}: what to build (arch, width, blocks, init, heads), with
 *       {@link org.selfsup.model.ModelSpec#forMethod} giving each method's original heads.</li>
 *   <li>{@link org.selfsup.model.ResNet} and {@link org.selfsup.model.Mlp}: torchvision-style ResNets
 *       and MLP heads from DJL blocks, initialised as PyTorch/torchvision would, from seeded Java
 *       streams (identical on every device).</li>
 *   <li>{@link org.selfsup.model.SslModel}: online backbone + projector + predictor and the EMA target;
 *       forward passes for the methods, parameter lists for the optimiser and the EMA, save/load.</li>
 * </ul>
 */
package org.selfsup.model;
