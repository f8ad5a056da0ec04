package org.selfsup.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfsup.config.TrainConfig;
import org.selfsup.data.Dataset;
import org.selfsup.data.ImageStore;
import org.selfsup.data.Normalization;
import org.selfsup.data.readers.SyntheticImages;
import org.selfsup.job.Pretraining;
import org.selfsup.train.TrainLoop;
import org.selfsup.train.TrainingListener;

/**
 * Soak: 1,000 tiny BYOL steps (small ResNet width 4, batch 4, 8x8 images; 100 epochs of 10 steps, each
 * with a metrics line per step and a checkpoint per epoch). The live native array count is the same at every
 * epoch end after the first, and the Java heap after GC at step 1,000 is within a small margin of the heap
 * after GC at step 100: nothing accumulates per step or per epoch.
 */
class MemorySoakTest {
    private static final long HEAP_MARGIN = 2L << 20; // GC noise is well below this; a leak of 2.3 KB per step is not

    @TempDir
    Path runs;

    @Test
    void thousandStepsKeepNativeArraysFlatAndHeapBounded() {
        ai.djl.engine.Engine.getInstance();
        ai.djl.pytorch.jni.JniUtils.setNumThreads(1); // tiny steps: one intra-op thread is fastest
        ImageStore train = SyntheticImages.generate("soak/train", 40, 4, 8, 3, 0);
        ImageStore test = SyntheticImages.generate("soak/test", 8, 4, 8, 3, 1);
        Dataset ds = new Dataset("synthetic", train, train, test, Normalization.CIFAR, 8);

        NDManager system = NDManager.newBaseManager();
        NDManager root = system.getParentManager();
        system.close();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        List<Integer> arrays = new ArrayList<>();
        long[] heapAt = new long[2];
        StringWriter console = new StringWriter();
        TrainLoop.Result result = new Pretraining(config(runs), new PrintWriter(console)).withDataset(ds)
                .addListener(new TrainingListener() {
                    @Override
                    public void onEpochEnd(int epoch, long step, int batches) {
                        arrays.add(root.getManagedArrays().size());
                        if (step == 100) {
                            heapAt[0] = usedHeapAfterGc(memory);
                        } else if (step == 1000) {
                            heapAt[1] = usedHeapAfterGc(memory);
                        }
                    }
                }).run();

        assertEquals(1000, result.state().step());
        assertEquals(100, arrays.size());
        assertEquals(1, new HashSet<>(arrays.subList(1, arrays.size())).size(),
                "live native arrays at each epoch end: " + arrays);
        assertTrue(arrays.get(1) > 0);
        assertTrue(heapAt[0] > 0 && heapAt[1] > 0);
        assertTrue(heapAt[1] < heapAt[0] + HEAP_MARGIN, String.format(
                "used heap after GC grew from %.1f MB (step 100) to %.1f MB (step 1000)", heapAt[0] / 1e6,
                heapAt[1] / 1e6));
        System.out.printf("soak: native arrays %d; heap after GC %.1f MB at step 100, %.1f MB at step 1000%n",
                arrays.get(99), heapAt[0] / 1e6, heapAt[1] / 1e6);
    }

    private static long usedHeapAfterGc(MemoryMXBean memory) {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) { // a few rounds: one System.gc() is a hint
            System.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    private static TrainConfig config(Path runsDir) {
        TrainConfig c = new TrainConfig();
        c.name = "soak";
        c.runsDir = runsDir.toString();
        c.method = "byol";
        c.plan = "";
        c.dataset = "synthetic";
        c.arch = "small";
        c.width = 4;
        c.blocks = List.of(1, 1, 1, 1);
        c.imageSize = 8;
        c.epochs = 100;
        c.batchSize = 4;
        c.lr = 0.05;
        c.lrScaling = "none";
        c.lrSchedule = "cosine-epoch";
        c.logEvery = 1;
        c.threads = 1;
        c.prefetch = 1;
        c.checkpointEvery = 1000; // last.ckpt every epoch; no per-epoch copies
        c.checkpointSteps = 0;
        c.seed = 11;
        c.device = "cpu";
        return c;
    }
}
