package org.selfsup.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfsup.data.readers.DatasetRegistry;
import org.selfsup.util.UserException;

/** Tiny-ImageNet's official layout on a tiny generated tree (3 classes, 2 train + 1 val pictures each). */
class TinyImageNetReaderTest {
    private static final List<String> WNIDS = List.of("n02", "n01", "n03"); // wnids.txt order, not sorted

    @TempDir
    Path root;

    /** A 64x64 PNG-coded picture (lossless, named .JPEG as in the data set: decoders read the content). */
    private static void picture(Path file, int value) throws IOException {
        Files.createDirectories(file.getParent());
        BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                img.setRGB(x, y, (value << 16) | ((x * 4) << 8) | (y * 4));
            }
        }
        ImageIO.write(img, "png", file.toFile());
    }

    private void tree() throws IOException {
        Files.write(root.resolve("wnids.txt"), WNIDS);
        StringBuilder ann = new StringBuilder();
        for (int c = 0; c < WNIDS.size(); c++) {
            String w = WNIDS.get(c);
            for (int i = 0; i < 2; i++) {
                picture(root.resolve("train").resolve(w).resolve("images").resolve(w + "_" + i + ".JPEG"), 10 * c + i);
            }
            Files.writeString(root.resolve("train").resolve(w).resolve(w + "_boxes.txt"), "ignored\n");
            // validation files are named by number, their class comes from the annotations only
            String file = "val_" + (2 - c) + ".JPEG";
            picture(root.resolve("val").resolve("images").resolve(file), 100 + c);
            ann.append(file).append('\t').append(w).append("\t0\t0\t63\t63\n");
        }
        Files.writeString(root.resolve("val").resolve("val_annotations.txt"), ann.toString());
    }

    @Test
    void readsTrainAndValWithTheWnidsOrderAndRsaNormalisation() throws IOException {
        tree();
        DataOptions o = new DataOptions();
        Dataset ds = DatasetRegistry.load("tinyimagenet", root, o);
        assertEquals(6, ds.train().size());
        assertEquals(3, ds.test().size());
        assertEquals(WNIDS, ds.train().classNames());
        assertEquals(64, ds.viewSize());
        ImageStore train = assertInstanceOf(ImageStore.class, ds.train(), "held in memory like CIFAR");
        ImageStore test = assertInstanceOf(ImageStore.class, ds.test());
        assertEquals(64, train.height());
        assertFalse(ds.fullResolution(), "evaluated as it is, no ImageNet resize");
        assertEquals(Normalization.TINY_IMAGENET, ds.normalization());
        for (int i = 0; i < 6; i++) {
            int label = ds.train().label(i);
            // train/<wnid>/images/<wnid>_k: red channel 10 * label + k
            int red = train.image(i).get(0, 0, 0);
            assertEquals(label, red / 10, "train image " + i);
        }
        for (int i = 0; i < 3; i++) {
            int red = test.image(i).get(0, 0, 0);
            assertEquals(red - 100, ds.test().label(i), "val image " + i + " labelled by val_annotations.txt");
        }
        assertEquals(64, DatasetRegistry.defaultViewSize("tinyimagenet"));
    }

    @Test
    void missingOrBadFilesAreOneLineErrors() throws IOException {
        tree();
        DataOptions o = new DataOptions();
        Files.writeString(root.resolve("val").resolve("val_annotations.txt"), "val_0.JPEG\tn99\t0\t0\t1\t1\n");
        UserException bad = assertThrows(UserException.class, () -> DatasetRegistry.load("tinyimagenet", root, o));
        assertTrue(bad.getMessage().contains("val_annotations.txt:1") && bad.getMessage().contains("wnids.txt"),
                bad.getMessage());
        Files.delete(root.resolve("wnids.txt"));
        UserException missing = assertThrows(UserException.class, () -> DatasetRegistry.load("tinyimagenet", root, o));
        assertTrue(missing.getMessage().contains("wnids.txt"), missing.getMessage());
    }
    @Test
    void aPictureOfAnotherSizeIsABadImage() throws IOException {
        tree();
        Path odd = root.resolve("train").resolve("n01").resolve("images").resolve("n01_0.JPEG");
        ImageIO.write(new BufferedImage(32, 48, BufferedImage.TYPE_INT_RGB), "png", odd.toFile());
        DataOptions skip = new DataOptions();
        assertEquals(5, DatasetRegistry.load("tinyimagenet", root, skip).train().size(), "skipped under skip");
        DataOptions fail = new DataOptions();
        fail.onBadImage = BadImagePolicy.FAIL;
        UserException e = assertThrows(UserException.class, () -> DatasetRegistry.load("tinyimagenet", root, fail));
        assertTrue(e.getMessage().contains("n01_0.JPEG") && e.getMessage().contains("32x48"), e.getMessage());
    }
}
