/**
 * Training: the one loop for every method ({@link org.selfsup.train.TrainLoop}: batches in, steps out),
 * the one step ({@link org.selfsup.train.StepRunner}), the {@link org.selfsup.train.TrainingListener}s
 * around it (metrics, checkpoints, divergence and collapse, progress), schedules as pure functions
 * ({@link org.selfsup.train.Schedules}) and as a run's host values and device tables
 * ({@link org.selfsup.train.RunSchedule}), the EMA target ({@link org.selfsup.train.Ema}) and the batch
 * sources. The run folder, its checkpoints and its metrics log are in {@link org.selfsup.train.checkpoint}
 * (what is saved when is described there). The objects of a run are built from its configuration in one
 * place, {@code org.selfsup.job.RunParts}; the optimisers live in {@code org.selfsup.optim}.
 * The step's arithmetic (bf16/fp16 autocast per network call, float32 losses, fp16 loss scaling) comes
 * from {@code org.selfsup.runtime}, as do acceleration switches, threads, the memory check and the device.
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
 *
 * <p>May import {@code train.checkpoint}, {@code method}, {@code model}, {@code augment} (with
 * {@code augment.device} and {@code augment.plans}), {@code data}, {@code optim}, {@code runtime},
 * {@code distributed}, {@code config} and {@code util}; never {@code eval}, {@code job} or {@code cli}
 * (monitors and the run assembly sit above it and plug in as listeners).
 */
package org.selfsup.train;
