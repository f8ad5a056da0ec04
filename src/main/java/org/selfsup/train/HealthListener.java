package org.selfsup.train;

import org.selfsup.runtime.ProcessMemory;

/**
 * The run's health on every logged step: {@code wall_time} (Unix seconds, so throughput and data wait can
 * be drawn over time, pauses and resumes included), {@code total_steps} (the run's length, for its progress),
 * {@code peak_rss_mb} (this process's peak resident
 * memory) and, on a GPU, {@code gpu_mem_mb} (memory in use on the device). Added to the step's values,
 * so it must come before the metrics listener. A read of {@code /proc/self/status} per logged step; no
 * device sync.
 */
public final class HealthListener implements TrainingListener {
    private final boolean gpu;
    private final long totalSteps;

    /**
     * @param gpu        whether the run trains on a GPU (then its memory is recorded too)
     * @param totalSteps the run's optimiser steps, recorded as {@code total_steps} (progress before an epoch ends)
     */
    public HealthListener(boolean gpu, long totalSteps) {
        this.gpu = gpu;
        this.totalSteps = totalSteps;
    }

    @Override
    public void onStep(StepEvent e) {
        if (e.values() == null) {
            return;
        }
        e.values().put("wall_time", System.currentTimeMillis() / 1000.0);
        e.values().put("total_steps", (double) totalSteps);
        double rss = ProcessMemory.peakRssMib();
        if (rss >= 0) {
            e.values().put("peak_rss_mb", rss);
        }
        if (gpu) {
            double used = ProcessMemory.gpuUsedMib();
            if (used >= 0) {
                e.values().put("gpu_mem_mb", used);
            }
        }
    }
}
