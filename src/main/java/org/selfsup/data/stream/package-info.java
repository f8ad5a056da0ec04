/**
 * Pictures read from files as they are needed: {@link org.selfsup.data.stream.StreamedImages} (a split of
 * file ranges, decoded at full resolution on every read) and the sources of one: image folders
 * ({@link org.selfsup.data.stream.ImageFolderReader}), list files
 * ({@link org.selfsup.data.stream.ListFileReader}) and WebDataset tar shards
 * ({@link org.selfsup.data.stream.TarShards}, read in {@link org.selfsup.data.stream.ShardOrder}); the index
 * of a folder's files ({@link org.selfsup.data.stream.ImageIndexer}) and its on-disk cache
 * ({@link org.selfsup.data.stream.IndexCache}); JPEG/PNG decoding and encoding
 * ({@link org.selfsup.data.stream.ImageDecoder}, {@link org.selfsup.data.stream.ImageEncoder},
 * {@link org.selfsup.data.stream.ImageHeader}, {@link org.selfsup.data.stream.PngCheck}); and the store of
 * pictures shrunk once for {@code --preresize-max-side} ({@link org.selfsup.data.stream.PreresizedStore}).
 *
 * <p>May import {@code data}, {@code natives} (libjpeg-turbo) and {@code util}; never
 * {@code data.readers}.
 */
package org.selfsup.data.stream;
