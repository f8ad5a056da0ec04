/**
 * The data sets and how they are read: one reader per format, each declaring its
 * {@link org.selfsup.data.DatasetDefinition} (CIFAR-10/100 {@link org.selfsup.data.readers.CifarReader},
 * STL-10, (Fashion-)MNIST IDX files, Tiny-ImageNet, {@link org.selfsup.data.readers.SyntheticImages}), the
 * one list of them with loading by name ({@link org.selfsup.data.readers.DatasetRegistry}), the photo-like
 * pictures of {@code data generate} ({@link org.selfsup.data.readers.PhotoLikePictures}), {@code --download}
 * ({@link org.selfsup.data.readers.Downloads} with {@link org.selfsup.data.readers.TarGz}) and the IDX
 * subset writer ({@link org.selfsup.data.readers.SubsetWriter}).
 *
 * <p>May import {@code data}, {@code data.stream} (the registry lists the streamed data sets, and
 * Tiny-ImageNet reads its pictures through it) and {@code util}. Nothing in {@code data} or
 * {@code data.stream} imports this package.
 */
package org.selfsup.data.readers;
