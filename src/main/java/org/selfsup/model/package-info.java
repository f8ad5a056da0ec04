/**
 * Backbones, heads and the SSL model container.
 *
 * <ul>
 *   <li>{@link org.selfsup.model.ModelSpec}: what to build (arch, width, blocks, init, heads); each method
 *       gives its original heads for a {@link org.selfsup.model.Backbone} (the model layer knows no
 *       methods).</li>
 *   <li>{@link org.selfsup.model.Networks}: the forward passes a method's loss uses.</li>
 *   <li>{@link org.selfsup.model.ResNet} and {@link org.selfsup.model.Mlp}: torchvision-style ResNets
 *       and MLP heads from DJL blocks, initialised as PyTorch/torchvision would, from seeded Java
 *       streams (identical on every device).</li>
 *   <li>{@link org.selfsup.model.VisionTransformer}: timm's ViT (parameters under timm's names, timm's
 *       init), with {@link org.selfsup.model.PositionEmbeddings} for position grids of other sizes.</li>
 *   <li>{@link org.selfsup.model.SslModel}: online backbone + projector + predictor and the EMA target;
 *       forward passes for the methods, parameter lists for the optimiser and the EMA, save/load.</li>
 * </ul>
 *
 * <p>May import only {@code util}: the model layer knows no methods, training or data.
 */
package org.selfsup.model;
