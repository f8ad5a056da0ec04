/**
 * Evaluation of frozen encoders.
 *
 * <ul>
 *   <li>{@link org.selfsup.eval.FeatureExtractor}: batches of images through a {@link org.selfsup.eval.FeatureEncoder}
 *       (inference mode, one sub-manager per batch) into a host {@link org.selfsup.eval.FeatureMatrix}.</li>
 *   <li>{@link org.selfsup.eval.Knn}: the weighted kNN vote of spec §1.4 (k = 200, t = 0.1), chunked over test rows
 *       and bank rows so memory stays bounded; {@link org.selfsup.eval.KnnMonitor} runs it as a training
 *       {@link org.selfsup.train.TrainingListener}.</li>
 *   <li>{@link org.selfsup.eval.LinearProbe} with {@link org.selfsup.eval.ProbeProtocol} values {@code cifar},
 *       {@code msf} and {@code fast}: final-epoch test accuracy over every test image; "best" only on a
 *       validation split carved from the training data.</li>
 *   <li>{@link org.selfsup.encoder.ExportedEncoder}: a backbone as a DJL model directory; {@link
 *       org.selfsup.eval.FolderEmbedder}: one CSV row of features per image file.</li>
 * </ul>
 */
package org.selfsup.eval;
