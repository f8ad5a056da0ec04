/**
 * Whole jobs assembled from the layers below: {@link org.selfsup.job.RunParts} (a configuration turned into
 * the objects of one training process), {@link org.selfsup.job.Pretraining} (one run in its folder: parts,
 * listeners, the loop), {@link org.selfsup.job.PretrainJob} (what {@code selfsup train} runs: data, training
 * with the kNN monitor, baseline, report) and {@link org.selfsup.job.Doctor}.
 *
 * <p>Below {@code cli} and {@code bench}; may import every other package.
 */
package org.selfsup.job;
