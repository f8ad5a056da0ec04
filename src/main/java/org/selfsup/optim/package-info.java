/**
 * Optimisers with PyTorch semantics over DJL parameters: {@link org.selfsup.optim.Sgd},
 * {@link org.selfsup.optim.Lars}, {@link org.selfsup.optim.Larc} (all on the shared
 * {@link org.selfsup.optim.MomentumOptimizer} step), {@link org.selfsup.optim.AdamW},
 * {@link org.selfsup.optim.GradClipping}, and {@link org.selfsup.optim.Optimizers} (by name). Learning
 * rates are given at each step: schedules live in {@code train}. Used by pretraining and the linear probe.
 *
 * <p>Imports no other {@code org.selfsup} package (it may import {@code util}).
 */
package org.selfsup.optim;
