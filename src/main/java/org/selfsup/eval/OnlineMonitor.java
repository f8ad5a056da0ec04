package org.selfsup.eval;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.selfsup.data.ImageSet;
import org.selfsup.model.SslModel;
import org.selfsup.runtime.Precision;
import org.selfsup.train.TrainingListener;
import org.selfsup.train.checkpoint.TrainState;
import org.selfsup.util.AtomicFiles;

/**
 * What a run watches besides the kNN monitor, as one training listener:
 * <ul>
 *   <li>the <b>online linear probe</b> ({@link OnlineProbe}): after every step, the watched backbone embeds the
 *       step's first view in inference mode (BatchNorm running statistics, not updated; no gradient), and
 *       the probe takes one SGD step on those features with the batch's labels. Logged steps get
 *       {@code online_probe_acc} (running train top-1, percent, since the previous line),
 *       {@code online_probe_loss} and {@code online_probe_ms} (host time of the probe per step, the cost);
 *       every kNN point gets {@code online_probe_top1}, its top-1 on every test image under the kNN
 *       monitor's test transform. The model's parameters, BatchNorm statistics and gradients are never
 *       touched, so pretraining is bit-identical with the probe on or off.</li>
 *   <li><b>RankMe</b> ({@link RankMe}): at every kNN point, the effective rank of the backbone features of a
 *       fixed sample of up to {@link #RANKME_IMAGES} test images, spread evenly over the split
 *       ({@code rankme}).</li>
 *   <li>the <b>embedding map</b> ({@link EmbeddingMap}): after the final epoch, the UMAP of the backbone
 *       features of up to {@link EmbeddingMap#MAX_IMAGES} test images, written to the run folder for the
 *       report.</li>
 * </ul>
 * It must come before the metrics listener (it adds its values to the step's line); its evaluations are a
 * separate listener ({@link #evaluations}), placed after the kNN monitor. The probe's state is
 * saved beside each checkpoint ({@code online-probe.state}, the one before as {@code .previous}) and the one
 * of the checkpoint's step is restored on resume.
 */
public final class OnlineMonitor implements TrainingListener {
    /** Test images RankMe is computed on (at most). */
    public static final int RANKME_IMAGES = 1024;
    /** The probe's state file inside the checkpoints folder. */
    public static final String STATE_FILE = "online-probe.state";

    private final SslModel model;
    private final Precision precision;
    private final ImageSet test;
    private final TestTransform transform;
    private final int every;
    private final int epochs;
    private final BatchLabels labels;
    private final Path stateFile;
    private final int checkpointSteps;
    private final Path mapFile;
    private final long seed;
    private final java.util.function.Consumer<String> notices;
    private final NDManager manager;
    private final FeatureEncoder encoder;
    private final OnlineProbe probe;
    private long probeNanos;
    private long stepsSinceLine;

    /**
     * @param model           the model being trained (only read)
     * @param precision       the run's precision for the backbone's forward passes
     * @param test            the labelled test split, or null (then neither test accuracy nor RankMe)
     * @param transform       the kNN monitor's test transform
     * @param every           evaluate every this many epochs (and after the last); 0 = never
     * @param epochs          epochs of the run
     * @param labels          the training batches' labels, or null for no online probe
     * @param checkpoints     the run's checkpoints folder (the probe's state is kept there)
     * @param checkpointSteps mid-epoch checkpoints every this many steps (0 = off), as the checkpoint listener's
     * @param mapFile         where the embedding map of the final epoch goes ({@link EmbeddingMap}), or null for none
     * @param seed            the run seed (the map's)
     * @param notices         where warnings go (the run's console)
     */
    public OnlineMonitor(SslModel model, Precision precision, ImageSet test, TestTransform transform, int every,
                         int epochs, BatchLabels labels, Path checkpoints, int checkpointSteps, Path mapFile,
                         long seed, java.util.function.Consumer<String> notices) {
        this.notices = notices;
        this.mapFile = test == null ? null : mapFile;
        this.seed = seed;
        this.model = model;
        this.precision = precision;
        this.test = test;
        this.transform = transform;
        this.every = every;
        this.epochs = epochs;
        this.labels = labels;
        this.stateFile = checkpoints.resolve(STATE_FILE);
        this.checkpointSteps = checkpointSteps;
        Device device = model.backbone().getParameters().valueAt(0).getArray().getDevice();
        this.manager = NDManager.newBaseManager(device);
        this.encoder = Encoders.backbone(model, manager, precision);
        this.probe = labels == null ? null : new OnlineProbe(manager, model.spec().featureDim(), labels.numClasses());
    }

    /** Whether the online probe is on. */
    public boolean probing() {
        return probe != null;
    }

    /**
     * Restores the probe's state saved with the checkpoint the run resumes from ({@code from}); a fresh run,
     * or a state of another step (a kill between the two saves), starts from zero weights.
     *
     * @param say receives one line when a resumed run's probe restarts from zero
     */
    public void restore(TrainState from, Consumer<String> say) {
        if (probe == null || from.step() == 0) {
            return;
        }
        String problem = "no saved state beside the checkpoint";
        // the newest state, else the one before it (a kill between the probe's save and the checkpoint's)
        for (Path file : new Path[] {stateFile, previousFile()}) {
            try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
                long step = in.readLong();
                if (step == from.step()) {
                    probe.load(in);
                    return;
                }
                problem = "its saved state is of step " + step + ", not the checkpoint's " + from.step();
            } catch (NoSuchFileException e) {
                // try the other one
            } catch (IOException e) {
                problem = "unreadable saved state (" + e.getMessage() + ")";
            }
        }
        say.accept("online probe: " + problem + "; it restarts from zero weights");
    }

    private Path previousFile() {
        return stateFile.resolveSibling(STATE_FILE + ".previous");
    }

    /** Whether 0-based {@code epoch} is a kNN point. */
    public boolean due(int epoch) {
        return every > 0 && ((epoch + 1) % every == 0 || epoch + 1 == epochs);
    }

    @Override
    public void onStep(StepEvent e) {
        if (probe != null) {
            long t0 = System.nanoTime();
            NDManager sm = e.views().values().iterator().next().getManager();
            NDArray view = e.views().values().iterator().next();
            NDArray features = encoder.encode(view).stopGradient();
            if (features.getShape().dimension() != 2) {
                features = features.reshape(features.getShape().get(0), -1);
            }
            probe.train(sm, features, labels.of(e.epoch(), e.batch()));
            if (checkpointSteps > 0 && e.step() % checkpointSteps == 0 && !e.lastOfEpoch()) {
                save(e.step());
            }
            probeNanos += System.nanoTime() - t0;
            stepsSinceLine++;
            if (e.values() != null) {
                double[] running = probe.readRunning(stepsSinceLine);
                if (running != null) {
                    e.values().put("online_probe_acc", running[0]);
                    e.values().put("online_probe_loss", running[1]);
                }
                e.values().put("online_probe_ms", probeNanos / 1e6 / stepsSinceLine);
                probeNanos = 0;
                stepsSinceLine = 0;
            }
        }
    }

    @Override
    public void onEpochEnd(int epoch, long step, int batches) {
        if (probe != null) {
            save(step);
        }
    }

    private void save(long step) {
        try {
            if (Files.exists(stateFile)) {
                Files.move(stateFile, previousFile(), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            AtomicFiles.write(stateFile, out -> {
                DataOutputStream d = new DataOutputStream(out);
                d.writeLong(step);
                probe.save(d);
                d.flush();
            });
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot save the online probe's state to " + stateFile, e);
        }
    }

    /**
     * The evaluations of this monitor (RankMe, the probe's test accuracy, the embedding map) as a listener of
     * their own, to be placed after the kNN monitor so that an evaluation line reads kNN first; this
     * listener itself evaluates nothing.
     */
    public TrainingListener evaluations() {
        return new TrainingListener() {
            @Override
            public Map<String, Double> evaluate(int epoch, long step) {
                return evaluateNow(epoch, step);
            }
        };
    }

    private Map<String, Double> evaluateNow(int epoch, long step) {
        boolean due = due(epoch);
        boolean map = mapFile != null && epoch + 1 == epochs;
        if (test == null || (!due && !map)) {
            return Map.of();
        }
        Map<String, Double> out = new LinkedHashMap<>();
        try (NDManager sub = manager.newSubManager()) {
            FeatureExtractor fx = new FeatureExtractor(encoder, KnnMonitor.BATCH);
            // every test image for the probe; else only those RankMe and the map use
            int[] sample = spread(test.size(), Math.max(due ? RANKME_IMAGES : 0, map ? EmbeddingMap.MAX_IMAGES : 0));
            boolean all = due && probe != null;
            FeatureMatrix features = all ? fx.extract(sub, test, transform, false)
                    : fx.extract(sub, test.subset(test.name() + " (sample)", sample), transform, false);
            int[] rows = all ? sample : identity(sample.length);
            int[] labels = all ? test.labels() : pick(test.labels(), sample);
            if (due) {
                int[] rank = spread(rows.length, RANKME_IMAGES);
                int[] rankRows = new int[rank.length];
                for (int i = 0; i < rank.length; i++) {
                    rankRows[i] = rows[rank[i]];
                }
                out.put("rankme", RankMe.of(features.gather(sub, rankRows)));
                if (probe != null) {
                    out.put("online_probe_top1", probe.accuracy(features, test.labels()));
                }
            }
            if (map) {
                int[] mapRows = spread(rows.length, EmbeddingMap.MAX_IMAGES);
                for (int i = 0; i < mapRows.length; i++) {
                    mapRows[i] = rows[mapRows[i]];
                }
                writeMap(features, mapRows, labels, epoch, step);
            }
        }
        return out;
    }

    private void writeMap(FeatureMatrix features, int[] rows, int[] labels, int epoch, long step) {
        if (rows.length < 4) {
            return; // too few test images for a map
        }
        for (int r : rows) {
            for (float v : features.row(r)) {
                if (!Float.isFinite(v)) {
                    // a diverged encoder: the divergence check reports it; the map is skipped, the run goes on
                    notices.accept("warning: no embedding map at epoch " + (epoch + 1) + ": the test features "
                            + "hold non-finite values");
                    return;
                }
            }
        }
        try {
            EmbeddingMap.write(mapFile, EmbeddingMap.umap(features, rows, labels, seed), test.classNames(), seed,
                    epoch, step);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write the embedding map " + mapFile, e);
        }
    }

    private static int[] identity(int n) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        return idx;
    }

    private static int[] pick(int[] values, int[] at) {
        int[] out = new int[at.length];
        for (int i = 0; i < at.length; i++) {
            out[i] = values[at[i]];
        }
        return out;
    }

    /** {@code count} indices spread evenly over {@code 0..n-1} (all of them when {@code n <= count}). */
    static int[] spread(int n, int count) {
        int m = Math.min(n, count);
        int[] idx = new int[m];
        for (int i = 0; i < m; i++) {
            idx[i] = (int) ((long) i * n / m);
        }
        return idx;
    }

    @Override
    public void onStop(TrainState at, boolean complete) {
        if (probe != null) {
            probe.close();
        }
        manager.close();
    }
}
