package org.selfsup.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.util.List;
import java.util.Locale;
import org.selfsup.config.TrainConfig;
import org.selfsup.distributed.World;
import org.selfsup.job.RunParts;
import org.selfsup.optim.Optimizer;
import org.selfsup.train.Ema;

/**
 * Time of the parameter updates alone (optimiser step and EMA) on a real model's parameters (the
 * training run's {@link RunParts}, BYOL on the CPU), many
 * repetitions, median: isolates the update code from the forward/backward pass, whose run-to-run noise
 * on a shared machine is larger than the whole update. Run by hand:
 * {@code java -cp ... org.selfsup.bench.UpdateBench resnet18-cifar sgd 30}.
 */
public final class UpdateBench {
    private UpdateBench() {}

    /** {@code arch optimizer repeats}; prints one line and one JSON line. */
    public static void main(String[] args) {
        TrainConfig c = new TrainConfig();
        c.method = "byol";
        c.arch = args.length > 0 ? args[0] : "resnet18-cifar";
        c.optimizer = args.length > 1 ? args[1] : "sgd";
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        c.device = "cpu";
        c.imageSize = 32;
        try (RunParts parts = RunParts.openWithoutData(c, World.SINGLE, ai.djl.Device.cpu(), 1,
                new java.io.PrintWriter(java.io.Writer.nullWriter()))) {
            NDManager manager = parts.manager();
            List<Parameter> params = parts.trainable().trainableParameters();
            long count = 0;
            // give every parameter a gradient: d(sum p)/dp = 1
            try (NDManager g = manager.newSubManager(); GradientCollector gc = manager.getEngine().newGradientCollector()) {
                NDArray total = null;
                for (Parameter p : params) {
                    NDArray s = p.getArray().sum();
                    s.attach(g);
                    total = total == null ? s : total.add(s);
                    count += p.getArray().size();
                }
                gc.backward(total);
            }
            double[] opt = new double[repeats];
            double[] ema = new double[repeats];
            Optimizer o = parts.optimizer();
            Ema e = parts.ema();
            for (int i = -3; i < repeats; i++) {
                long t0 = System.nanoTime();
                o.step(1e-6); // no zeroGrad: the same gradients every repetition
                long t1 = System.nanoTime();
                e.update(0.99);
                long t2 = System.nanoTime();
                if (i >= 0) {
                    opt[i] = (t1 - t0) / 1e6;
                    ema[i] = (t2 - t1) / 1e6;
                }
            }
            System.out.printf(Locale.ROOT, "updates %s (%d parameter arrays, %.2fM values), %s: optimiser %.2f ms, "
                    + "EMA %.2f ms (median of %d)%n", c.arch, params.size(), count / 1e6, c.optimizer,
                    StepBench.median(opt), StepBench.median(ema), repeats);
            System.out.printf(Locale.ROOT, "{\"bench\":\"updates\",\"arch\":\"%s\",\"optimizer\":\"%s\",\"arrays\":%d,"
                    + "\"values\":%d,\"optimizer_ms\":%.3f,\"ema_ms\":%.3f,\"repeats\":%d}%n", c.arch, c.optimizer,
                    params.size(), count, StepBench.median(opt), StepBench.median(ema), repeats);
        }
    }
}
