/**
 * Training: the one loop for every method ({@link org.selfsup.train.TrainLoop}: batches in, steps out),
 * the one step ({@link org.selfsup.train.StepRunner}), the {@link org.selfsup.train.TrainingListener}s
 * around it (metrics, checkpoints, divergence and collapse, progress), schedules as pure functions
 * ({@link org.selfsup.train.Schedules}) and as a run's host values and device tables
 * ({@link org.selfsup.train.RunSchedule}), the EMA target ({@link org.selfsup.train.Ema}), the batch sources,
 * and the run folder with its checkpoints. The objects of a run are built from its configuration in one
 * place, {@code org.selfsup.job.RunParts}; the optimisers live in {@code org.selfsup.optim}.
 * The step's arithmetic (bf16/fp16 autocast per network call, float32 losses, fp16 loss scaling) comes
 * from {@code org.selfsup.runtime}, as do acceleration switches, threads, the memory check and the device.
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
 * <h2>Gradient accumulation</h2>
 * With {@code accumulate-steps} N a step of the loop is N batches ({@link org.selfsup.train.StepRunner#accumulate}
 * each, then one {@link org.selfsup.train.StepRunner#finish}); the step counter k, the schedules, the EMA, the
 * listeners and checkpoints count optimiser steps, and {@link org.selfsup.train.checkpoint.TrainState#batch} counts
 * batches, a multiple of N at every checkpoint.
 *
 * <h2>Resume</h2>
 * Re-running the same command on the same run folder continues from the newest good checkpoint (a
 * damaged one is reported and skipped, and set aside as {@code last.ckpt.corrupt} when the next checkpoint
 * is written), cuts {@code metrics.jsonl} back to that step, and re-runs an epoch
 * evaluation a kill interrupted (the final epoch's too: a run is complete when its evaluations are written). Data order and augmentation are functions of (seed, epoch, index) and the
 * schedules of k, so the result is bit-identical to an uninterrupted run (same device and thread count).
 * A different training configuration in the same folder is refused. A folder is locked by the running
 * process ({@code .lock}, an OS lock released when the process dies). A NaN or infinite loss stops the run
 * ({@link org.selfsup.train.TrainingDivergedException}, exit code 3); checkpoints are only written after a
 * finite loss. On SIGINT/SIGTERM a checkpoint being written is completed before the JVM exits
 * ({@link org.selfsup.util.AtomicFiles}). {@link org.selfsup.train.checkpoint.RunPoints} names the points the
 * fault-injection tests pause at, through a hook they install in their child JVMs; a real run has none.
 */
package org.selfsup.train;
