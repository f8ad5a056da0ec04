package org.selfsup.eval;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.selfsup.augment.RandomTransform;
import org.selfsup.config.TrainConfig;
import org.selfsup.data.Dataset;
import org.selfsup.data.ImageSet;
import org.selfsup.model.SslModel;
import org.selfsup.runtime.Precision;
import org.selfsup.train.TrainingListener;
import org.selfsup.util.MetricKeys;

/**
 * The linear probe after pretraining ({@code probe} key, {@code selfsup train --probe PROTOCOL}), as
 * RSA's {@code train_single.py} (unless {@code --is_eval}) and DSSL's {@code run.py} chain it: after the
 * last epoch the frozen backbone, in inference mode, is probed on the labelled train split and scored on
 * EVERY test image under the protocol's transforms.
 *
 * <p>Its evaluation of the last epoch returns {@code probe_top1} and {@code probe_top5} (final-epoch test
 * accuracy, percent), which the metrics listener writes into that epoch's {@code eval} line; nothing on
 * other epochs. It only reads the model it watches ({@link #watching}); a run killed before the line was
 * written re-runs the probe on resume.
 */
public final class ProbeMonitor implements TrainingListener {
    private final ProbeProtocol protocol;
    private final ImageSet train;
    private final ImageSet test;
    private final TestTransform testTransform;
    private final RandomTransform trainAugment;
    private final int epochs;
    private final long seed;
    private final Consumer<String> log;
    private final SslModel watched;
    private final Precision precision;

    /**
     * @param protocol     the probe protocol
     * @param train        labelled training split
     * @param test         labelled test split
     * @param viewSize     side of the pretraining views (the probe's crop and test size)
     * @param normalization the data set's per-channel normalisation
     * @param epochs       pretraining epochs (the probe runs after the last one)
     * @param seed         run seed
     * @param log          receives the probe's per-epoch lines
     * @param precision    the run's precision for the frozen encoder's forward passes;
     *                     the linear head trains in float32
     */
    public ProbeMonitor(ProbeProtocol protocol, ImageSet train, ImageSet test, int viewSize,
                        org.selfsup.data.Normalization normalization, int epochs, long seed, Consumer<String> log,
                        Precision precision) {
        this.protocol = Objects.requireNonNull(protocol);
        this.train = Objects.requireNonNull(train);
        this.test = Objects.requireNonNull(test);
        this.testTransform = protocol.testTransform(normalization, viewSize, test);
        this.trainAugment = protocol.trainAugment(viewSize);
        this.epochs = epochs;
        this.seed = seed;
        this.log = Objects.requireNonNull(log);
        this.watched = null;
        this.precision = Objects.requireNonNull(precision);
    }

    private ProbeMonitor(ProbeMonitor p, SslModel model) {
        this.protocol = p.protocol;
        this.train = p.train;
        this.test = p.test;
        this.testTransform = p.testTransform;
        this.trainAugment = p.trainAugment;
        this.epochs = p.epochs;
        this.seed = p.seed;
        this.log = p.log;
        this.watched = Objects.requireNonNull(model);
        this.precision = p.precision;
    }

    /** This probe, evaluating {@code model} (the model being trained) after the last epoch. */
    public ProbeMonitor watching(SslModel model) {
        return new ProbeMonitor(this, model);
    }

    /**
     * The probe a run's configuration asks for ({@code probe}), at the run's {@code precision}, or null when
     * it is empty.
     */
    public static ProbeMonitor forRun(TrainConfig config, Dataset ds, Precision precision, Consumer<String> log) {
        if (config.probe == null || config.probe.isEmpty()) {
            return null;
        }
        return new ProbeMonitor(ProbeProtocol.named(config.probe), ds.train(), ds.test(), config.viewSize(ds),
                ds.normalization(), config.epochs, config.seed, log, precision);
    }

    /** The protocol's name. */
    public String protocol() {
        return protocol.name();
    }

    @Override
    public Map<String, Double> evaluate(int epoch, long step) {
        if (epoch + 1 != epochs) {
            return Map.of();
        }
        if (watched == null) {
            throw new IllegalStateException("the probe watches no model (see watching)");
        }
        ProbeResult r = evaluate(watched);
        Map<String, Double> out = new LinkedHashMap<>();
        out.put(MetricKeys.PROBE_TOP1, r.testTop1());
        out.put(MetricKeys.PROBE_TOP5, r.testTop5());
        return out;
    }

    /** Probes {@code model}'s frozen backbone now, on its own device. */
    public ProbeResult evaluate(SslModel model) {
        Device device = model.backbone().getParameters().valueAt(0).getArray().getDevice();
        try (NDManager manager = NDManager.newBaseManager(device)) {
            return new LinearProbe(protocol, seed, log).run(manager, Encoders.backbone(model, manager, precision),
                    KnnMonitor.BATCH, train, test, testTransform, trainAugment, 0);
        }
    }
}
