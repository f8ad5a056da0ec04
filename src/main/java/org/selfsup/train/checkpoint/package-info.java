/**
 * What a training run keeps on disk: the run folder ({@link org.selfsup.train.checkpoint.RunDir}: its files
 * and its lock), the checkpoint payload ({@link org.selfsup.train.checkpoint.Checkpoint},
 * with the counters of {@link org.selfsup.train.checkpoint.TrainState} and a model's
 * {@link org.selfsup.train.checkpoint.ModelState}) inside its checksummed container
 * ({@link org.selfsup.train.checkpoint.CheckpointFile}), the rotation of {@code last}/{@code previous}/epoch
 * copies ({@link org.selfsup.train.checkpoint.CheckpointStore}), {@code metrics.jsonl}
 * ({@link org.selfsup.train.checkpoint.MetricsLog}) and the named points of a run that fault-injection tests
 * observe ({@link org.selfsup.train.checkpoint.RunPoints}).
 *
 * <h2>What is saved when</h2>
 * <ul>
 *   <li>{@code runs/NAME/config.yaml}: the effective configuration, at every start.</li>
 *   <li>{@code runs/NAME/metrics.jsonl}: a {@code step} line every {@code log-every} steps (and at each epoch's
 *       last step), an {@code epoch} line per epoch, an {@code eval} line when a listener's epoch evaluation
 *       returns values. Flushed per line.</li>
 *   <li>{@code runs/NAME/checkpoints/last.ckpt} after every epoch and every {@code checkpoint-steps} steps;
 *       the one before it is kept as {@code previous.ckpt}; {@code epoch-NNNN.ckpt} every
 *       {@code checkpoint-every} epochs. Each holds config, model spec, counters (k, epoch, batch), seed,
 *       all parameters incl. target, predictor and BN running statistics (float32 at every precision), the
 *       momentum buffers and, with fp16, the loss scale, inside
 *       a container with a CRC-32C ({@link org.selfsup.train.checkpoint.CheckpointFile}); written to a temporary file,
 *       fsynced and renamed, so a kill never leaves a half-written checkpoint.</li>
 *   <li>{@code runs/NAME/checkpoints/online-probe.state} (and {@code .previous}): the online probe's head and
 *       optimiser state at the same moments, keyed by step (written by {@code eval.OnlineMonitor}).</li>
 *   <li>{@code runs/NAME/tensorboard/events.out.tfevents.*}: every record of {@code metrics.jsonl} as
 *       TensorBoard scalars (rank 0; cut back to the checkpoint on resume, as the metrics are).</li>
 *   <li>{@code runs/NAME/embedding-map.json}: the UMAP of test embeddings after the final epoch.</li>
 * </ul>
 *
 * <p>Below {@code train} (whose checkpoint and metrics listeners write these files), {@code eval},
 * {@code encoder} and {@code job}. May import only {@code config}, {@code model}, {@code optim} and
 * {@code util}; never {@code train} itself (the loop's model is seen through {@code ModelState}).
 */
package org.selfsup.train.checkpoint;
