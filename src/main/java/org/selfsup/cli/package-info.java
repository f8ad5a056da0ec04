/**
 * The {@code selfsup} command line (picocli): {@link org.selfsup.cli.Main} and one thin command per
 * subcommand, which parses and validates flags and calls the library packages, plus the option mixins the
 * commands share.
 *
 * <p>The top of the package graph: may import every package; none imports it.
 */
package org.selfsup.cli;
