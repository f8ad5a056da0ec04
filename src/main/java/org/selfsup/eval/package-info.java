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
 *   <li>{@link org.selfsup.eval.FolderEmbedder}: one CSV row of features per image file.</li>
 * </ul>
 *
 * <p>Encoder import and export live in {@code org.selfsup.encoder}, above this package. May import
 * {@code train} and {@code train.checkpoint} (the monitors are training listeners), {@code model},
 * {@code augment}, {@code data} with its subpackages, {@code optim}, {@code runtime}, {@code config} and
 * {@code util}; never {@code encoder}, {@code job}, {@code report} or {@code cli}.
 */
package org.selfsup.eval;
