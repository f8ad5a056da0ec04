package org.selfsup.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.selfsup.config.ConfigKeys;
import org.selfsup.optim.Optimizer;
import org.selfsup.train.checkpoint.Checkpoint;
import org.selfsup.train.checkpoint.CheckpointStore;
import org.selfsup.train.checkpoint.TrainState;
import org.selfsup.util.UserException;

/**
 * Checkpoints of a run and resuming from them: {@code last.ckpt} after every epoch (plus
 * {@code epoch-NNNN.ckpt} every {@code checkpoint-every} epochs) and every {@code checkpoint-steps}
 * steps inside an epoch; {@link #restore} loads the newest good one before training.
 */
public final class CheckpointListener implements TrainingListener {
    private final CheckpointStore store;
    private final Path runRoot;
    private final String configJson;
    private final String modelSpecJson;
    private final long seed;
    private final TrainableModel model;
    private final Optimizer opt;
    private final int checkpointSteps;
    private final int checkpointEvery;

    /**
     * @param store           the run's checkpoint store (the one {@link #restore} reads from)
     * @param runRoot         the run folder (named in messages)
     * @param configJson      the effective configuration, stored in every checkpoint
     * @param modelSpecJson   the model spec, stored in every checkpoint
     * @param seed            the run seed
     * @param model           the model whose parameters are saved
     * @param opt             the optimiser whose state is saved
     * @param checkpointSteps also checkpoint every this many steps (0 = off)
     * @param checkpointEvery keep an epoch copy every this many epochs (0 = none)
     */
    public CheckpointListener(CheckpointStore store, Path runRoot, String configJson, String modelSpecJson,
                              long seed, TrainableModel model, Optimizer opt, int checkpointSteps,
                              int checkpointEvery) {
        this.store = store;
        this.runRoot = runRoot;
        this.configJson = configJson;
        this.modelSpecJson = modelSpecJson;
        this.seed = seed;
        this.model = model;
        this.opt = opt;
        this.checkpointSteps = checkpointSteps;
        this.checkpointEvery = checkpointEvery;
    }

    /**
     * Loads the newest good checkpoint into the model and optimiser (damaged ones are reported through
     * {@code console} and skipped).
     *
     * @param required with {@code --resume}: a folder without a checkpoint is a user error
     * @return the state to continue from ({@link TrainState#START} without a checkpoint)
     * @throws UserException if the checkpoint holds a different training configuration
     */
    public TrainState restore(boolean required, Consumer<String> console) {
        CheckpointStore.Loaded<TrainState> loaded = store.loadLatest(in -> {
            Checkpoint.Header h = Checkpoint.readHeader(in);
            List<String> diffs = ConfigKeys.trainingDifferences(h.configJson(), configJson);
            if (!diffs.isEmpty()) {
                throw new UserException("run folder " + runRoot + " holds a checkpoint of a different configuration: "
                        + String.join(", ", diffs) + "; use another --name to start a new run");
            }
            Checkpoint.readState(in, model, opt);
            return h.state();
        }, console);
        if (loaded == null) {
            if (required) {
                throw new UserException("--resume: run folder " + runRoot + " has no checkpoint to resume from");
            }
            return TrainState.START;
        }
        TrainState s = loaded.value();
        console.accept("resuming " + runRoot + " from " + loaded.file().getFileName() + " at step " + s.step()
                + " (epoch " + (s.epoch() + 1) + ", batch " + s.batch() + ")");
        return s;
    }

    private boolean dueMidEpoch(long step, boolean lastOfEpoch) {
        return checkpointSteps > 0 && step % checkpointSteps == 0 && !lastOfEpoch;
    }

    /** A mid-epoch checkpoint step is read back, so the metrics log has its line before the checkpoint. */
    @Override
    public boolean wantsValues(long step, int batch, boolean lastOfEpoch) {
        return dueMidEpoch(step, lastOfEpoch);
    }

    @Override
    public void onStep(StepEvent e) {
        if (dueMidEpoch(e.step(), e.lastOfEpoch())) {
            save(e.after(), 0);
        }
    }

    @Override
    public void onEpochEnd(int epoch, long step, int batches) {
        int done = epoch + 1;
        boolean keep = checkpointEvery > 0 && done % checkpointEvery == 0;
        save(new TrainState(step, done, 0), keep ? done : 0);
    }

    private void save(TrainState state, int epochCopy) {
        Checkpoint.Header h = new Checkpoint.Header(configJson, modelSpecJson, state, seed);
        try {
            store.save(out -> Checkpoint.write(out, h, model, opt), epochCopy);
        } catch (IOException e) {
            throw new UncheckedIOException("training I/O failed in " + runRoot, e);
        }
    }
}
