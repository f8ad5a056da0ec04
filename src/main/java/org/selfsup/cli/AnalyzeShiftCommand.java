package org.selfsup.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.selfsup.data.Dataset;
import org.selfsup.data.ImageSet;
import org.selfsup.encoder.TrainedEncoder;
import org.selfsup.eval.Encoders;
import org.selfsup.eval.EvalData;
import org.selfsup.eval.Knn;
import org.selfsup.eval.ShiftAnalysis;
import org.selfsup.eval.TestTransform;
import org.selfsup.report.ShiftReport;
import org.selfsup.runtime.TorchThreads;
import org.selfsup.util.UserException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code selfsup analyze shift}: the semantic shift of each augmentation for a trained encoder. */
@Command(name = "shift", mixinStandardHelpOptions = true,
        description = {"How far each augmentation moves an image's embedding from the unaugmented image's "
                + "(mean 1 - cosine of the frozen backbone's features) and what it does to kNN top-1 when applied "
                + "to the test images (bank: the unaugmented train split). Probes: each RandAugment operation at "
                + "each --magnitudes value, crop scale, colour-jitter strength, blur, solarisation, grayscale. "
                + "Writes shift.json, shift.csv and index.html (ranked by shift) to --out. Scores a subsample of "
                + "the test images (--images); deterministic from --seed."})
public final class AnalyzeShiftCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    EvalDataOptions data;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
    Path out;

    @Option(names = "--images", defaultValue = "500",
            description = "Test images scored, drawn from --seed; 0 = all (default: ${DEFAULT-VALUE}).")
    int images;

    @Option(names = "--bank-images", defaultValue = "0",
            description = "Train images in the kNN bank, drawn from --seed; 0 = all (default: ${DEFAULT-VALUE}).")
    int bankImages;

    @Option(names = "--magnitudes", split = ",", defaultValue = "3,9,16,30", paramLabel = "M",
            description = "RandAugment magnitudes on the 0-30 scale (default: ${DEFAULT-VALUE}).")
    List<Integer> magnitudes;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the subsample and augmentations "
            + "(default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--k", defaultValue = "200", description = "kNN neighbours (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--t", defaultValue = "0.1", description = "kNN temperature (default: ${DEFAULT-VALUE}).")
    double t;

    @Option(names = "--batch-size", defaultValue = "256",
            description = "Images per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--workers", defaultValue = "0",
            description = "Threads embedding batches and probes concurrently, each holding one batch; 0 = one per "
                    + "PyTorch intra-op thread (up to 8) on the CPU, 1 on a GPU (default: ${DEFAULT-VALUE}).")
    int workers;

    /** Workers when {@code --workers 0}. */
    static final int MAX_AUTO_WORKERS = 8;

    @Override
    public Integer call() throws IOException {
        if (images < 0 || bankImages < 0) {
            throw new UserException("--images and --bank-images: must be at least 0");
        }
        if (workers < 0) {
            throw new UserException("--workers: must be at least 0");
        }
        if (k <= 0 || !(t > 0) || batchSize <= 0) {
            throw new UserException("--k, --t and --batch-size: must be positive");
        }
        for (int m : magnitudes) {
            if (m < 0 || m > 30) {
                throw new UserException("--magnitudes: RandAugment magnitude must be in 0-30 (got " + m + ")");
            }
        }
        PrintWriter o = spec.commandLine().getOut();
        long start = System.nanoTime();
        try (NDManager manager = NDManager.newBaseManager();
             TrainedEncoder enc = data.encoder.open(manager, data.dataset, spec.commandLine().getErr())) {
            Dataset ds = EvalData.load(enc.config(), data.dataset, data.dataDir);
            if (ds.whyNoEvaluation() != null) {
                throw new UserException(ds.name() + ": no shift analysis possible: " + ds.whyNoEvaluation());
            }
            int size = EvalData.inputSize(enc.config());
            TestTransform transform = TestTransform.of(ds, size);
            ImageSet test = ds.test().subset(ds.test().name() + "-sample",
                    ShiftAnalysis.sample(ds.test().size(), images, seed));
            ImageSet bank = ds.train().subset(ds.train().name() + "-bank",
                    ShiftAnalysis.sample(ds.train().size(), bankImages, seed + 1));
            ShiftAnalysis.Result r = ShiftAnalysis.run(manager, Encoders.backbone(enc.model(), manager), bank, test,
                    transform, ShiftAnalysis.standardProbes(size, magnitudes), seed, new Knn(k, t, 1024, 16384),
                    batchSize, workers > 0 ? workers : autoWorkers(manager.getDevice()));
            Map<String, Object> settings = new LinkedHashMap<>();
            settings.put("encoder", data.encoder.checkpoint != null ? String.valueOf(data.encoder.checkpoint)
                    : String.valueOf(data.encoder.weights));
            settings.put("dataset", ds.name());
            settings.put("images", r.images() + " of " + ds.test().size() + " test images");
            settings.put("bank", r.bank() + " of " + ds.train().size() + " train images");
            settings.put("magnitudes", magnitudes.toString());
            settings.put("seed", seed);
            settings.put("knn", "k=" + k + ", t=" + t);
            ShiftReport.write(out, r, settings);
            o.printf(Locale.ROOT, "shift analysis of %d probes on %d test images of %s (clean kNN top-1 %.2f%%) in %.1f s%n",
                    r.rows().size(), r.images(), ds.name(), r.cleanTop1(), (System.nanoTime() - start) / 1e9);
            o.println("largest shifts:");
            for (ShiftAnalysis.Row row : r.rows().subList(0, Math.min(5, r.rows().size()))) {
                o.printf(Locale.ROOT, "  %-13s %-18s %-22s shift %.4f  kNN top-1 %.2f%%%n", row.family(), row.op(),
                        row.parameter(), row.shift(), row.knnTop1());
            }
            o.println("wrote " + out.resolve("index.html") + ", shift.json, shift.csv");
            o.flush();
        }
        return 0;
    }

    /**
     * On the CPU one worker per intra-op thread in effect (at most {@value #MAX_AUTO_WORKERS}), each then
     * running its forward passes single-threaded; on a GPU one (the device is shared anyway).
     */
    static int autoWorkers(Device device) {
        return device.isGpu() ? 1 : Math.max(1, Math.min(MAX_AUTO_WORKERS, TorchThreads.current()));
    }
}
