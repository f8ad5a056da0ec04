/**
 * Small helpers every layer uses and that know nothing of selfsup's subject: atomic file replacement
 * ({@link org.selfsup.util.AtomicFiles}), the derivation of random streams from the run seed
 * ({@link org.selfsup.util.Seeds}), {@link org.selfsup.util.UserException} for errors in the user's input,
 * kebab-case enum labels ({@link org.selfsup.util.Labelled}), did-you-mean suggestions, JSON-lines reading,
 * the shared metric names, durations, futures, I/O messages and shutdown hooks.
 *
 * <p>The bottom of the package graph: imports no other {@code org.selfsup} package.
 */
package org.selfsup.util;
