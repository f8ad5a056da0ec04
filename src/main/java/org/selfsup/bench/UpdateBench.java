package org.selfsup.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.selfsup.config.TrainConfig;
import org.selfsup.model.ModelSpec;
import org.selfsup.model.SslModel;
import org.selfsup.train.Ema;
import org.selfsup.train.TrainableModel;
import org.selfsup.job.Pretraining;
import org.selfsup.optim.Optimizer;
import org.selfsup.runtime.Precision;
import org.selfsup.runtime.StepPrecision;

/**
 * Time of the parameter updates alone (optimiser step and EMA) on a real model's parameters, many
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
        ModelSpec spec = Pretraining.modelSpec(c);
        try (NDManager manager = NDManager.newBaseManager(ai.djl.Device.cpu());
             SslModel model = SslModel.create(spec, true, true, manager, 32, 0)) {
            List<Parameter> params = model.trainableParameters();
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
            try (StepPrecision precision = Pretraining.stepPrecision(c, Precision.FP32, TrainableModel.of(model),
                    manager);
                 Ema e = new Ema(model.emaPairs(), manager)) {
                Optimizer o = precision.optimizer();
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
