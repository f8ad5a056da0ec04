package org.selfsup.train;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.selfsup.config.TrainConfig;
import org.selfsup.data.Dataset;
import org.selfsup.data.ImageStore;
import org.selfsup.data.Normalization;
import org.selfsup.data.readers.SyntheticImages;
import org.selfsup.train.checkpoint.Checkpoint;
import org.selfsup.train.checkpoint.CheckpointFile;

/** Tiny configurations and data for trainer tests: small ResNet width 8, blocks 1,1,1,1, 16x16, batch 8. */
final class TinyRuns {
    private TinyRuns() {}

    /**
     * One PyTorch intra-op thread: on the shared 2-core machines two spinning OpenMP threads per test JVM
     * made tiny steps 10-50x slower under load. Results are deterministic for any fixed thread count.
     */
    static void singleThreaded() {
        ai.djl.engine.Engine.getInstance();
        ai.djl.pytorch.jni.JniUtils.setNumThreads(1);
    }

    static TrainConfig config(Path runsDir, String name, String method, int epochs) {
        TrainConfig c = new TrainConfig();
        c.name = name;
        c.runsDir = runsDir.toString();
        c.method = method;
        c.plan = "";
        c.dataset = "synthetic";
        c.arch = "small";
        c.width = 8;
        c.blocks = List.of(1, 1, 1, 1);
        c.imageSize = 16;
        c.epochs = epochs;
        c.batchSize = 8;
        c.lr = 0.05;
        c.lrScaling = "none";
        c.weightDecay = 5e-4;
        c.lrSchedule = "cosine-epoch";
        c.logEvery = 1;
        c.threads = 1;
        c.prefetch = 1;
        c.checkpointEvery = 1;
        c.checkpointSteps = 0;
        c.seed = 7;
        c.device = "cpu";
        return c;
    }

    static Dataset data(int images) {
        ImageStore train = SyntheticImages.generate("synthetic/train", images, 4, 16, 3, 0);
        ImageStore test = SyntheticImages.generate("synthetic/test", 16, 4, 16, 3, 1);
        return new Dataset("synthetic", train, train, test, Normalization.CIFAR, 16);
    }

    /** Everything after the header of a checkpoint (model parameters, BN statistics, optimiser state). */
    static byte[] stateBytes(Path checkpoint) throws IOException {
        return CheckpointFile.read(checkpoint, (DataInputStream in) -> {
            Checkpoint.readHeader(in);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        });
    }

    static Checkpoint.Header header(Path checkpoint) throws IOException {
        return Checkpoint.peek(checkpoint);
    }
}
