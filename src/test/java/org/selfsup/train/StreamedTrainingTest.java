package org.selfsup.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfsup.augment.ops.ResizedCrop;
import org.selfsup.augment.random.CropBox;
import org.selfsup.augment.random.RandomResizedCrop;
import org.selfsup.config.TrainConfig;
import org.selfsup.data.BadImagePolicy;
import org.selfsup.data.DataOptions;
import org.selfsup.data.Dataset;
import org.selfsup.data.Image;
import org.selfsup.data.TestPictures;
import org.selfsup.data.readers.DatasetRegistry;
import org.selfsup.job.Pretraining;
import org.selfsup.train.checkpoint.TrainState;
import org.selfsup.util.UserException;

/** Training on a streamed image folder: resume mid-epoch, bad files during training, crops on the original. */
class StreamedTrainingTest {
    @TempDir
    Path tmp;

    @BeforeAll
    static void threads() {
        TinyRuns.singleThreaded();
    }

    private Dataset folder(BadImagePolicy policy) throws Exception {
        Path root = tmp.resolve("data");
        if (!Files.exists(root)) {
            TestPictures.folder(root, 4, 8, 2, 40, 30);
            // a truncated JPEG that passes the header check: found while decoding, replaced by the next image
            byte[] good = Files.readAllBytes(root.resolve("train/c1/i0.jpg"));
            Files.write(root.resolve("train/c1/i0b.jpg"), java.util.Arrays.copyOf(good, good.length / 2));
        }
        DataOptions o = new DataOptions();
        o.imageSize = 16;
        o.onBadImage = policy;
        return DatasetRegistry.load("imagefolder", root, o);
    }

    /** A run on streamed full-resolution files stopped mid-epoch resumes bit-identically. */
    @Test
    void resumeMidEpochOnStreamedFolderIsBitIdentical() throws Exception {
        Dataset ds = folder(BadImagePolicy.SKIP);
        assertEquals(33, ds.pretrain().size()); // 32 + the truncated one (found only when decoded)
        PrintWriter console = new PrintWriter(new StringWriter(), true);
        TrainConfig full = TinyRuns.config(tmp.resolve("a"), "s", "byol", 2);
        full.dataset = "imagefolder";
        assertTrue(new Pretraining(full, console).withDataset(ds).run().complete());

        TrainConfig cut = TinyRuns.config(tmp.resolve("b"), "s", "byol", 2);
        cut.dataset = "imagefolder";
        cut.checkpointSteps = 3;
        assertFalse(new Pretraining(cut, console).withDataset(ds).stopAfterSteps(7).run().complete());
        assertEquals(new TrainState(6, 1, 2), TinyRuns.header(tmp.resolve("b/s/checkpoints/last.ckpt")).state());
        assertTrue(new Pretraining(cut, console).withDataset(folder(BadImagePolicy.SKIP)).run().complete());
        assertArrayEquals(TinyRuns.stateBytes(tmp.resolve("a/s/checkpoints/last.ckpt")),
                TinyRuns.stateBytes(tmp.resolve("b/s/checkpoints/last.ckpt")));
    }

    /** With --on-bad-image fail, a file found bad by a loader thread stops the run with an error naming it. */
    @Test
    void badFileFoundWhileTrainingFailsNamingIt() throws Exception {
        Dataset ds = folder(BadImagePolicy.FAIL);
        TrainConfig c = TinyRuns.config(tmp.resolve("f"), "f", "byol", 1);
        c.dataset = "imagefolder";
        UserException e = assertThrows(UserException.class,
                () -> new Pretraining(c, new PrintWriter(new StringWriter(), true)).withDataset(ds).run());
        assertTrue(e.getMessage().startsWith(tmp.resolve("data/train/c1/i0b.jpg") + ": image file is truncated"),
                e.getMessage());
    }

    /**
     * RandomResizedCrop on a streamed picture samples its box in the original's pixel coordinates (area
     * and ratio relative to the whole 40+ x 30 picture, boxes reaching its borders) and cuts the view from it.
     */
    @Test
    void cropsAreSampledOnTheOriginalPicture() throws Exception {
        Dataset ds = folder(BadImagePolicy.SKIP);
        Image original = ds.pretrain().rgb(3);
        int h = original.height();
        int w = original.width();
        assertTrue(w > h && h >= 30, original.toString());
        RandomResizedCrop rrc = new RandomResizedCrop(16, 0.2, 1.0);
        boolean reachesSideBorder = false;
        for (int seed = 0; seed < 50; seed++) {
            CropBox box = rrc.sampleBox(h, w, new SplittableRandom(seed));
            double area = (double) box.area() / (h * w);
            assertTrue(area >= 0.2 - 1e-9 && area <= 1.0 + 1e-9 || box.width() == Math.min(h, w), box + " area " + area);
            assertTrue(box.left() >= 0 && box.top() >= 0 && box.left() + box.width() <= w && box.top() + box.height() <= h, box.toString());
            reachesSideBorder |= box.left() + box.width() > (w + h) / 2 || box.left() < (w - h) / 2;
            Image view = rrc.apply(original, new SplittableRandom(seed));
            Image expected = new ResizedCrop(box.top(), box.left(), box.height(), box.width(), 16).apply(original);
            assertArrayEquals(expected.data(), view.data(), "seed " + seed);
        }
        assertTrue(reachesSideBorder, "no crop used the picture outside its centre square");
    }
}
