package org.selfsup.cli;

import ai.djl.ndarray.NDManager;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.selfsup.data.Dataset;
import org.selfsup.encoder.TrainedEncoder;
import org.selfsup.eval.Encoders;
import org.selfsup.eval.EvalData;
import org.selfsup.eval.Knn;
import org.selfsup.eval.KnnMonitor;
import org.selfsup.eval.KnnResult;
import org.selfsup.eval.TestTransform;
import org.selfsup.model.SslModel;
import org.selfsup.util.UserException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** kNN accuracy of a checkpoint's frozen encoder. */
@Command(name = "knn", mixinStandardHelpOptions = true,
        description = {"kNN accuracy of a checkpoint's frozen encoder (spec 1.4): L2-normalised backbone features "
                + "in inference mode, the train split as memory bank, top-k cosine neighbours weighted by "
                + "exp(sim/t); every test image is scored. Bank and test images get the run's knn-transform "
                + "geometry, as its kNN monitor measured them."})
public final class EvalKnnCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    EvalDataOptions data;

    @Option(names = "--k", defaultValue = "200", description = "Neighbours (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--t", defaultValue = "0.1", description = "Temperature of the weights (default: ${DEFAULT-VALUE}).")
    double t;

    @Option(names = "--batch-size", defaultValue = "256",
            description = "Images per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--random-init", defaultValue = "false",
            description = "Also score the same architecture at its random initialisation (the run's seed), the "
                    + "baseline a trained encoder must beat (default: ${DEFAULT-VALUE}).")
    boolean randomInit;

    @Override
    public Integer call() {
        if (k <= 0) {
            throw new UserException("--k: must be positive, got " + k);
        }
        if (!(t > 0)) {
            throw new UserException("--t: must be positive, got " + t);
        }
        if (batchSize <= 0) {
            throw new UserException("--batch-size: must be positive, got " + batchSize);
        }
        PrintWriter out = spec.commandLine().getOut();
        try (NDManager manager = NDManager.newBaseManager();
             TrainedEncoder enc = data.encoder.open(manager, data.dataset, spec.commandLine().getErr())) {
            org.selfsup.runtime.MemoryCheck.checkInference(enc.model().spec(), EvalData.inputSize(enc.config()),
                    batchSize, manager.getDevice(), "--batch-size");
            Dataset ds = EvalData.load(enc.config(), data.dataset, data.dataDir);
            Knn knn = new Knn(k, t, 1024, 16384);
            if (ds.whyNoEvaluation() != null) {
                throw new UserException(ds.name() + ": no kNN evaluation possible: " + ds.whyNoEvaluation());
            }
            // the run's knn-transform, so the figure is the monitor's measure
            String geometry = enc.config().knnTransform;
            TestTransform transform = KnnMonitor.transform(geometry, ds, EvalData.inputSize(enc.config()));
            KnnResult r = KnnMonitor.evaluate(manager, Encoders.backbone(enc.model(), manager), ds.train(), ds.test(),
                    transform, knn, batchSize);
            out.printf(Locale.ROOT, "kNN (k=%d, t=%s, knn-transform %s) on %s: top-1 %.2f%%  top-5 %.2f%%  (%d test "
                    + "images, bank %d)%n", r.k(), t, geometry, ds.name(), r.top1(), r.top5(), r.scored(), ds.train().size());
            if (randomInit) {
                try (SslModel init = SslModel.create(enc.model().spec().withoutPredictor(), false, false, manager,
                        EvalData.inputSize(enc.config()), enc.config().seed)) {
                    KnnResult b = KnnMonitor.evaluate(manager, Encoders.backbone(init, manager), ds.train(),
                            ds.test(), transform, knn, batchSize);
                    out.printf(Locale.ROOT, "same architecture at random initialisation (seed %d): top-1 %.2f%%  "
                            + "top-5 %.2f%%%n", enc.config().seed, b.top1(), b.top5());
                }
            }
            out.flush();
        }
        return 0;
    }
}
