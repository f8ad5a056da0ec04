/**
 * Data-parallel training: where a process sits in the job ({@link org.selfsup.distributed.World}), the TCP
 * rendezvous of {@code selfsup launch} ({@link org.selfsup.distributed.Rendezvous},
 * {@link org.selfsup.distributed.ProcessLauncher}), the collectives (MPI on the CPU engine, NCCL on GPUs,
 * {@link org.selfsup.distributed.Collective}), DDP's bucketed gradient averaging
 * ({@link org.selfsup.distributed.BucketedAllReduce}, {@link org.selfsup.distributed.GradientReducer}) and the
 * watchdog that ends a job making no progress.
 *
 * <p>May import {@code natives} (the communication libraries) and {@code util}.
 */
package org.selfsup.distributed;
