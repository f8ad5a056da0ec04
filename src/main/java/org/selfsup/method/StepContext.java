package org.selfsup.method;

/**
 * Where training is when a loss is computed; schedules (RSA beta, EMA tau) are pure functions of it.
 *
 * @param step       global step k, 1-based (the first training step has k = 1, as in RSA's code)
 * @param totalSteps K = epochs * floor(N / B)
 * @param epoch      0-based epoch
 */
public record StepContext(long step, long totalSteps, int epoch) {}
