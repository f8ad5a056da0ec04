package org.selfsup.method;

import org.selfsup.util.UserException;

/**
 * Method hyper-parameters that are not network or optimiser settings.
 *
 * @param beta0        RSA's initial aggressive-pair weight beta0 (config key {@code beta}; 0.4 default,
 *                     0.3 for the CIFAR-100 preset)
 * @param softLossRate DSSL-SimSiam's reverse-term weight lambda (config key {@code soft-loss-rate}):
 *                     {@code L = L_S + (1 - lambda) L_A + lambda L_reverse}; 0.1 in the CIFAR code, 0 for the
 *                     purely directional ImageNet form {@code L_S + L_A}
 */
public record MethodOptions(double beta0, double softLossRate) {

    public MethodOptions {
        if (!(beta0 >= 0 && beta0 <= 1)) {
            throw new UserException("beta: must be in [0, 1], got " + beta0);
        }
        if (!(softLossRate >= 0 && softLossRate <= 1)) {
            throw new UserException("soft-loss-rate: must be in [0, 1], got " + softLossRate);
        }
    }

    /** The original code's defaults: beta0 0.4, soft-loss-rate 0.1. */
    public static MethodOptions defaults() {
        return new MethodOptions(0.4, 0.1);
    }
}
