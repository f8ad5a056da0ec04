/**
 * Self-supervised methods: which views each reads, which networks see them, and its loss
 * (methods.md §1.1, §2.4, §3.3–3.5). Loss primitives live in {@link org.selfsup.method.Losses}, RSA's
 * beta schedule in {@link org.selfsup.method.RsaBeta}; {@link org.selfsup.method.MethodRegistry}
 * creates methods by name. The loop, optimiser and EMA belong to the trainer.
 *
 * <p>May import {@code model} and {@code util}.
 */
package org.selfsup.method;
