package org.selfsup.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A run's health at a glance, from its folder alone (so a report can be rendered from another shell while
 * the run trains, reading only): whether it is complete, still running (the process named in its
 * {@code .lock} file is alive; the file is read, never locked) or stopped; its last known state (step,
 * epoch, loss, age of the last line, progress and an estimate of the time left); throughput, data wait and
 * memory (peak RSS, GPU memory where there is one).
 */
public final class RunHealth {
    /** The lock file a training process holds (and writes its pid into) in its run folder. */
    static final String LOCK = ".lock";

    private RunHealth() {}

    /** What the run folder says about the process that trains it. */
    public enum State { COMPLETE, RUNNING, STOPPED }

    /** The run's state now. */
    public static State state(RunInfo run) {
        if (complete(run)) {
            return State.COMPLETE;
        }
        return trainingPid(run.dir()).isPresent() ? State.RUNNING : State.STOPPED;
    }

    private static boolean complete(RunInfo run) {
        if (!run.metrics().summary().isEmpty()) {
            return true;
        }
        Object epochs = run.config().get("epochs");
        Double lastEpoch = Metrics.last(run.metrics().epochs(), "epoch");
        return epochs instanceof Number n && lastEpoch != null && lastEpoch + 1 >= n.doubleValue();
    }

    /** The pid in the run's lock file when that process is alive (and is not this one). */
    static Optional<Long> trainingPid(Path dir) {
        try {
            String text = Files.readString(dir.resolve(LOCK), StandardCharsets.US_ASCII).trim();
            if (text.isEmpty()) {
                return Optional.empty();
            }
            long pid = Long.parseLong(text);
            if (pid == ProcessHandle.current().pid()) {
                return Optional.empty();
            }
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(ProcessHandle::pid);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Optimiser steps per epoch, from an epoch line (its step is (epoch + 1) x S), or null before the first. */
    static Double stepsPerEpoch(Metrics m) {
        for (Map<String, Double> e : m.epochs()) {
            Double step = e.get("step");
            Double epoch = e.get("epoch");
            if (step != null && epoch != null) {
                return step / (epoch + 1);
            }
        }
        return null;
    }

    /** The run's optimiser steps: the step lines' {@code total_steps}, else from an epoch line and the epochs. */
    static Double totalSteps(RunInfo run) {
        Double recorded = Metrics.last(run.metrics().steps(), "total_steps");
        if (recorded != null) {
            return recorded;
        }
        Double perEpoch = stepsPerEpoch(run.metrics());
        Object epochs = run.config().get("epochs");
        return perEpoch != null && epochs instanceof Number n ? perEpoch * n.doubleValue() : null;
    }

    /** The health table: label / value rows. */
    public static List<String[]> rows(RunInfo run) {
        Metrics m = run.metrics();
        List<String[]> rows = new ArrayList<>();
        State state = state(run);
        rows.add(new String[] {"state", switch (state) {
            case COMPLETE -> "complete";
            case RUNNING -> "running (process " + trainingPid(run.dir()).orElse(-1L) + " holds the run folder)";
            case STOPPED -> "stopped before the end (killed or failed); the same command resumes it";
        }});
        Map<String, Double> last = m.steps().isEmpty() ? null : m.steps().get(m.steps().size() - 1);
        if (last != null) {
            rows.add(new String[] {"last logged step", Html.num(last.get("step")) + " (epoch "
                    + Html.num(last.get("epoch")) + "), loss " + Html.num(last.get("loss"))});
            Double wall = last.get("wall_time");
            if (wall != null) {
                rows.add(new String[] {"last line written", ago(System.currentTimeMillis() / 1000.0 - wall)});
            }
        }
        Double total = totalSteps(run);
        if (last != null && total != null) {
            double done = last.getOrDefault("step", 0.0);
            String progress = String.format("%.0f of %.0f steps (%.1f%%)", done, total, 100 * done / total);
            Double rate = recentStepsPerSecond(run);
            if (state != State.COMPLETE && rate != null && rate > 0) {
                progress += ", about " + duration((total - done) / rate) + " left at the recent pace";
            }
            rows.add(new String[] {"progress", progress});
        }
        rows.add(new String[] {"throughput (source images / s; last 5 lines)", Html.num(recentMean(m, "img_per_s"))});
        rows.add(new String[] {"data wait (ms per step; last 5 lines)", Html.num(recentMean(m, "wait_ms"))});
        Double rss = max(m, "peak_rss_mb");
        rows.add(new String[] {"peak resident memory (MiB)", rss == null ? "n/a (not recorded)" : Html.num(rss)});
        Double gpu = max(m, "gpu_mem_mb");
        if (gpu != null) {
            rows.add(new String[] {"GPU memory in use, most seen (MiB)", Html.num(gpu)});
        }
        return rows;
    }

    /** Optimiser steps per second over the last logged lines, from their throughput and images per step. */
    private static Double recentStepsPerSecond(RunInfo run) {
        Double imgs = recentMean(run.metrics(), "img_per_s");
        Object batch = run.config().get("batch-size");
        Object acc = run.config().getOrDefault("accumulate-steps", 1);
        if (imgs == null || !(batch instanceof Number b) || !(acc instanceof Number a)) {
            return null;
        }
        return imgs / (b.doubleValue() * a.doubleValue());
    }

    private static Double recentMean(Metrics m, String key) {
        List<Double> v = new ArrayList<>();
        for (int i = m.steps().size() - 1; i >= 0 && v.size() < 5; i--) {
            Double x = m.steps().get(i).get(key);
            if (x != null && Double.isFinite(x)) {
                v.add(x);
            }
        }
        return v.isEmpty() ? null : v.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    }

    private static Double max(Metrics m, String key) {
        Double best = null;
        for (Map<String, Double> s : m.steps()) {
            Double x = s.get(key);
            if (x != null && (best == null || x > best)) {
                best = x;
            }
        }
        return best;
    }

    private static String ago(double seconds) {
        return duration(seconds) + " ago";
    }

    private static String duration(double seconds) {
        if (!(seconds > 0)) {
            seconds = 0;
        }
        if (seconds < 120) {
            return String.format("%.0f s", seconds);
        }
        if (seconds < 7200) {
            return String.format("%.0f min", seconds / 60);
        }
        return String.format("%.1f h", seconds / 3600);
    }

    /**
     * The step records' {@code key} over time: minutes since the first logged line (from {@code wall_time});
     * runs logged before {@code wall_time} existed are drawn over steps instead.
     */
    static Metrics.Series overTime(Metrics m, String name, String key) {
        Double t0 = null;
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (Map<String, Double> s : m.steps()) {
            Double t = s.get("wall_time");
            Double y = s.get(key);
            if (t == null || y == null || !Double.isFinite(y)) {
                continue;
            }
            if (t0 == null) {
                t0 = t;
            }
            xs.add((t - t0) / 60.0);
            ys.add(y);
        }
        if (xs.isEmpty()) {
            return Metrics.series(name, m.steps(), "step", key);
        }
        return new Metrics.Series(name, xs.stream().mapToDouble(Double::doubleValue).toArray(),
                ys.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** Whether the steps carry {@code wall_time} (then the health charts' x axis is minutes). */
    static boolean timed(Metrics m) {
        return m.steps().stream().anyMatch(s -> s.containsKey("wall_time"));
    }

    /** The health charts: throughput, data wait, memory; over time when the steps carry {@code wall_time}. */
    static List<ChartSpec> charts(Metrics m) {
        String x = timed(m) ? "minutes since the first logged step" : "step";
        String over = timed(m) ? " Drawn over wall-clock time: a gap is a pause (the run was stopped, then resumed)."
                : "";
        return List.of(
                new ChartSpec("throughput.png", "Throughput", x, "source images / s",
                        "Source images per second of the training loop between logged steps." + over,
                        mm -> List.of(overTime(mm, "img_per_s", "img_per_s"))),
                new ChartSpec("data_wait.png", "Data wait", x, "ms per step",
                        "Mean time each step waited for its batch (augmentation and upload) between logged steps. "
                                + "Near 0: the data pipeline keeps up; a large share of the step time: more --threads, "
                                + "--prefetch or --augment-on device." + over,
                        mm -> List.of(overTime(mm, "wait_ms", "wait_ms"))),
                new ChartSpec("memory.png", "Memory", x, "MiB",
                        "peak_rss_mb: the training process's peak resident memory; gpu_mem_mb: memory in use on "
                                + "its GPU (all processes, as nvidia-smi counts it), where there is one." + over,
                        mm -> List.of(overTime(mm, "peak_rss_mb", "peak_rss_mb"),
                                overTime(mm, "gpu_mem_mb", "gpu_mem_mb"))));
    }
}
