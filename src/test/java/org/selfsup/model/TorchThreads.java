package org.selfsup.model;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Test helper: one intra-op thread for libtorch. On the shared 2-core machines OpenMP worker threads
 * spin-wait for each other; under load a tiny forward pass then takes seconds instead of milliseconds
 * (measured: 5 s vs 15 ms at load average 15).
 */
public final class TorchThreads {
    private TorchThreads() {}

    /** Sets libtorch's intra-op thread count to 1 (idempotent). */
    public static void single() {
        Engine.getInstance();
        JniUtils.setNumThreads(1);
    }
}
