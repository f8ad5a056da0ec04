/**
 * Every call into native code that DJL does not wrap: libtorch's own exports (the stable C shim
 * {@code aoti_torch_*}, autocast, the global context's cuDNN/TF32 switches) reached through JNA, and
 * the communication libraries used for data-parallel training. Nothing outside this package imports
 * {@code com.sun.jna}: callers see plain Java types and {@link org.selfsup.util.UserException}s that name
 * the missing symbol and the library version.
 *
 * <p>May import only {@code util}.
 */
package org.selfsup.natives;
