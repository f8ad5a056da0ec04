/**
 * The data-set types every other package shares: {@link org.selfsup.data.Image} (uint8 HWC pixels),
 * {@link org.selfsup.data.ImageSet} (a split: images by index, labels, class names, the epoch order) with
 * its in-memory form {@link org.selfsup.data.ImageStore}, {@link org.selfsup.data.Dataset} (the splits of a
 * loaded data set and its {@link org.selfsup.data.Normalization}), {@link org.selfsup.data.DatasetDefinition}
 * (what a data set declares about itself), {@link org.selfsup.data.DataOptions} with
 * {@link org.selfsup.data.BadImagePolicy}, {@link org.selfsup.data.LabelSource} and
 * {@link org.selfsup.data.PictureResizer}, {@link org.selfsup.data.BadImageException},
 * {@link org.selfsup.data.ImageStats}, a rank's {@link org.selfsup.data.Shard} of the epoch order, and the
 * file helpers of the readers ({@link org.selfsup.data.BinaryFiles}).
 *
 * <p>The readers are in {@link org.selfsup.data.readers} (with the registry of data sets,
 * {@code DatasetRegistry}) and the pictures read from files as needed in {@link org.selfsup.data.stream}.
 * This package may import only {@code util}: both subpackages build on it, never the reverse.
 */
package org.selfsup.data;
