/**
 * Self-supervised methods: which views each reads, which networks see them, and its loss
 * (methods.md §1.1, §2.4, §3.3–3.5, §7, §8). A base method (BYOL, SimSiam, SimCLR, MoCo v3, VICReg, Barlow
 * Twins, DSSL's BYOL) is a {@link org.selfsup.method.PairwiseObjective}; a heavy-augmentation strategy
 * ({@link org.selfsup.method.HeavyStrategy}: symmetric, RSA, DSSL) combines it into a method, and the papers'
 * combinations keep their names. Loss primitives live in {@link org.selfsup.method.Losses}, RSA's beta
 * schedule in {@link org.selfsup.method.RsaBeta}; {@link org.selfsup.method.MethodRegistry} creates methods by
 * name (and by base and strategy). The loop, optimiser and EMA belong to the trainer.
 *
 * <p>May import {@code model} and {@code util}.
 */
package org.selfsup.method;
