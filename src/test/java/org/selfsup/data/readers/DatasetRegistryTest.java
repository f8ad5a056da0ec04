package org.selfsup.data.readers;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfsup.data.DataOptions;
import org.selfsup.data.Dataset;
import org.selfsup.data.DatasetDefinition;
import org.selfsup.data.ImageSet;
import org.selfsup.data.ImageStats;
import org.selfsup.data.ImageStore;
import org.selfsup.data.Normalization;
import org.selfsup.util.AtomicFiles;
import org.selfsup.util.UserException;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatasetRegistryTest {
    @TempDir
    Path dir;

    @Test
    void embeddedFashionMnistIsBalancedAndLoadsFromTheClasspath() {
        Dataset d = DatasetRegistry.load("fashion-mnist", null, null);
        assertEquals(10_000, d.train().size());
        assertEquals(2_000, d.test().size());
        assertEquals(d.train(), d.pretrain());
        assertEquals(28, d.viewSize());
        assertEquals(28, mem(d.train()).height());
        assertEquals(1, mem(d.train()).channels());
        assertEquals(10, d.numClasses());
        assertEquals("Ankle boot", d.train().classNames().get(9));
        int[] tr = ImageStats.classCounts(d.train());
        int[] te = ImageStats.classCounts(d.test());
        for (int c = 0; c < 10; c++) {
            assertEquals(1000, tr[c]);
            assertEquals(200, te[c]);
        }
        assertEquals(Normalization.FASHION_MNIST, d.normalization());
        // The subset's mean is close to the full training set's 0.2860.
        double mean = ImageStats.meanStd(mem(d.train()))[0][0];
        assertEquals(0.286, mean, 0.01);
    }

    @Test
    void unknownNameListsValidNamesAndSuggests() {
        UserException e = assertThrows(UserException.class, () -> DatasetRegistry.load("cifar-10", dir, null));
        assertTrue(e.getMessage().contains("valid: fashion-mnist, mnist, cifar10"), e.getMessage());
        assertTrue(e.getMessage().contains("did you mean 'cifar10'"), e.getMessage());
        UserException e2 = assertThrows(UserException.class, () -> DatasetRegistry.load("zzzzzzzzzzzz", dir, null));
        assertTrue(!e2.getMessage().contains("did you mean"), e2.getMessage());
    }

    @Test
    void missingDirectoryNamesIt() {
        Path missing = dir.resolve("nope");
        UserException e = assertThrows(UserException.class, () -> DatasetRegistry.load("cifar10", missing, null));
        assertTrue(e.getMessage().startsWith(missing.toString()) && e.getMessage().contains("does not exist"), e.getMessage());
        UserException e2 = assertThrows(UserException.class, () -> DatasetRegistry.load("cifar10", null, null));
        assertTrue(e2.getMessage().contains("--data-dir"), e2.getMessage());
    }

    @Test
    void fashionMnistFromADirectoryOfIdxFiles() throws Exception {
        ImageStore src = SubsetWriter.firstPerClass(IdxReader.embedded("t10k", IdxReader.FASHION_MNIST_CLASSES), 3);
        byte[][] idx = IdxReader.encode(src);
        java.nio.file.Files.write(dir.resolve("train-images-idx3-ubyte"), idx[0]);
        java.nio.file.Files.write(dir.resolve("train-labels-idx1-ubyte"), idx[1]);
        AtomicFiles.writeGzip(dir.resolve("t10k-images-idx3-ubyte.gz"), idx[0]);
        AtomicFiles.writeGzip(dir.resolve("t10k-labels-idx1-ubyte.gz"), idx[1]);
        DataOptions o = new DataOptions();
        o.imageSize = 32;
        Dataset d = DatasetRegistry.load("fashion-mnist", dir, o);
        assertEquals(30, d.train().size());
        assertEquals(32, d.viewSize());
        assertArrayEquals(src.labels(), d.test().labels());
        assertArrayEquals(src.pixels(29), mem(d.train()).pixels(29));
    }

    @Test
    void syntheticIsDeterministicAndBalanced() {
        DataOptions o = new DataOptions();
        o.syntheticTrain = 40;
        o.syntheticTest = 20;
        o.syntheticClasses = 4;
        o.syntheticSize = 16;
        Dataset a = DatasetRegistry.load("synthetic", null, o);
        Dataset b = DatasetRegistry.load("synthetic", null, o);
        assertEquals(40, a.train().size());
        assertEquals(16, a.viewSize());
        assertArrayEquals(new int[] {10, 10, 10, 10}, ImageStats.classCounts(a.train()));
        for (int i = 0; i < 40; i++) {
            assertArrayEquals(mem(a.train()).pixels(i), mem(b.train()).pixels(i));
        }
        assertTrue(!java.util.Arrays.equals(mem(a.train()).pixels(0), mem(a.test()).pixels(0)));
    }

    @Test
    void defaultViewSizes() {
        assertEquals(28, DatasetRegistry.defaultViewSize("mnist"));
        assertEquals(32, DatasetRegistry.defaultViewSize("cifar100"));
        assertEquals(64, DatasetRegistry.defaultViewSize("stl10"));
        assertEquals(224, DatasetRegistry.defaultViewSize("imagefolder"));
    }

    @Test
    void theDefinitionsDeclareWhatTheRestOfSelfsupReads() {
        assertTrue(DatasetRegistry.NAMES.containsAll(java.util.List.of("fashion-mnist", "mnist", "cifar10", "cifar100",
                "stl10", "tinyimagenet", "imagefolder", "listfile", "shards", "synthetic")));
        assertTrue(DatasetRegistry.STREAMED.containsAll(java.util.List.of("imagefolder", "listfile", "shards")));
        assertTrue(DatasetRegistry.DOWNLOADABLE.containsAll(java.util.List.of("fashion-mnist", "cifar10", "cifar100",
                "stl10")));
        assertEquals(Normalization.IMAGENET, DatasetRegistry.get("shards").normalization());
        assertEquals(Normalization.MNIST, DatasetRegistry.get("mnist").normalization());
        assertTrue(!DatasetRegistry.get("synthetic").fixedNormalization(), "synthetic data is normalised by its own statistics");
        assertTrue(!DatasetRegistry.get("fashion-mnist").needsDir() && DatasetRegistry.get("mnist").needsDir());
        assertEquals(224, DatasetRegistry.defaultViewSize("shards"));
        assertEquals(32, DatasetRegistry.defaultViewSize("synthetic"));
        for (DatasetDefinition d : DatasetRegistry.ALL) {
            assertTrue(!d.files().isEmpty(), d.name());
            assertEquals(d.streamed(), DatasetRegistry.STREAMED.contains(d.name()), d.name());
            assertEquals(d.downloadable(), DatasetRegistry.DOWNLOADABLE.contains(d.name()), d.name());
            assertEquals(d, DatasetRegistry.get(d.name()));
        }
        assertEquals(DatasetRegistry.ALL.size(), java.util.Set.copyOf(DatasetRegistry.NAMES).size(), "unique names");
        UserException e = assertThrows(UserException.class, () -> DatasetRegistry.load("mnist", null, null));
        assertTrue(e.getMessage().contains("--data-dir is required for data set 'mnist'"), e.getMessage());
        DataOptions download = new DataOptions();
        download.download = true;
        UserException d = assertThrows(UserException.class, () -> DatasetRegistry.load("mnist", dir, download));
        assertTrue(d.getMessage().contains("available for: " + String.join(", ", DatasetRegistry.DOWNLOADABLE)),
                d.getMessage());
    }

    private static ImageStore mem(ImageSet s) {
        return (ImageStore) s;
    }
}
