package org.selfsup.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfsup.config.TrainConfig;
import org.selfsup.encoder.TrainedEncoder;
import org.selfsup.job.Pretraining;
import org.selfsup.job.RunParts;
import org.selfsup.model.SslModel;
import org.selfsup.util.UserException;
import org.selfsup.weights.Safetensors;
import org.selfsup.weights.WeightExport;

/** {@code init-from}: training starts from the file's weights (backbone and heads), EMA target included. */
class InitFromTest {
    @TempDir
    static Path tmp;
    static Path withHeads;
    static Path backboneOnly;
    static final Map<String, float[]> SOURCE = new LinkedHashMap<>();

    @BeforeAll
    static void weights() throws Exception {
        TinyRuns.singleThreaded();
        TrainConfig c = TinyRuns.config(tmp, "src", "byol", 1);
        try (NDManager m = NDManager.newBaseManager();
             SslModel model = SslModel.create(RunParts.modelSpec(c), true, true, m, 16, 99)) {
            for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
                SOURCE.put(e.getKey(), e.getValue().getArray().toFloatArray());
            }
            withHeads = tmp.resolve("heads.safetensors");
            backboneOnly = tmp.resolve("backbone.safetensors");
            Safetensors.write(withHeads, WeightExport.stateDict(model, true, 0), Map.of());
            Safetensors.write(backboneOnly, WeightExport.stateDict(model, false, 0), Map.of());
        }
    }

    /** A 1-epoch run with learning rate 0, so trainable weights stay as initialised. */
    private static TrainConfig frozenRun(String name, Path init) {
        TrainConfig c = TinyRuns.config(tmp, name, "byol", 1);
        c.lr = 0;
        c.weightDecay = 0;
        c.initFrom = init == null ? "" : init.toString();
        return c;
    }

    @Test
    void startsFromTheFileIncludingHeadsAndTarget() throws Exception {
        StringWriter console = new StringWriter();
        new Pretraining(frozenRun("init", withHeads), new PrintWriter(console)).withDataset(TinyRuns.data(16)).run();
        assertTrue(console.toString().contains("init-from: "), console.toString());
        Path ckpt = tmp.resolve("init/checkpoints/last.ckpt");
        try (NDManager m = NDManager.newBaseManager(); TrainedEncoder enc = TrainedEncoder.fromCheckpoint(ckpt, m, true)) {
            int compared = 0;
            for (Map.Entry<String, Parameter> e : enc.model().namedParameters().entrySet()) {
                if (e.getValue().requiresGradient()) { // running statistics move in training mode; weights do not at lr 0
                    assertArrayEquals(SOURCE.get(e.getKey()), e.getValue().getArray().toFloatArray(), e.getKey());
                    compared++;
                }
            }
            assertTrue(compared > 20, "backbone and heads compared: " + compared);
        }
    }

    @Test
    void importResynchronisesTheTarget() {
        TrainConfig c = TinyRuns.config(tmp, "x", "byol", 1);
        try (NDManager m = NDManager.newBaseManager();
             SslModel model = SslModel.create(RunParts.modelSpec(c), true, true, m, 16, 5)) {
            org.selfsup.weights.WeightImport.apply(Safetensors.read(withHeads).tensors(), model, true, "test");
            Map<String, Parameter> p = model.namedParameters();
            for (String k : p.keySet()) {
                if (k.startsWith("target.")) {
                    String online = k.substring("target.".length());
                    assertArrayEquals(SOURCE.get(online), p.get(k).getArray().toFloatArray(), k);
                }
            }
        }
    }

    @Test
    void headsMissingIsAnErrorUnlessNotStrict() throws Exception {
        UserException e = assertThrows(UserException.class, () -> new Pretraining(frozenRun("strict", backboneOnly),
                new PrintWriter(new StringWriter())).withDataset(TinyRuns.data(16)).run());
        assertTrue(e.getMessage().contains("head tensors missing: projector.0.weight"), e.getMessage());
        // refused after the run folder was opened: like a data-parallel start refused for mismatched settings
        // (issue 22, item 17), it leaves no run folder (nor an empty checkpoints/) behind
        assertFalse(java.nio.file.Files.exists(tmp.resolve("strict")), "no run folder left behind");
        TrainConfig lenient = frozenRun("lenient", backboneOnly);
        lenient.initStrict = false;
        StringWriter console = new StringWriter();
        new Pretraining(lenient, new PrintWriter(console)).withDataset(TinyRuns.data(16)).run();
        assertTrue(console.toString().contains("heads keep their fresh initialisation"), console.toString());
        try (NDManager m = NDManager.newBaseManager();
             TrainedEncoder enc = TrainedEncoder.fromCheckpoint(tmp.resolve("lenient/checkpoints/last.ckpt"), m, true)) {
            String conv = "backbone/01Conv2d_weight";
            assertArrayEquals(SOURCE.get(conv), enc.model().namedParameters().get(conv).getArray().toFloatArray());
            String head = "projector/01Linear_weight";
            assertFalse(java.util.Arrays.equals(SOURCE.get(head),
                    enc.model().namedParameters().get(head).getArray().toFloatArray()), "head keeps the run's own init");
        }
    }

    @Test
    void badFileFailsBeforeTheRunFolderIsMade() {
        UserException e = assertThrows(UserException.class, () -> new Pretraining(frozenRun("bad",
                tmp.resolve("nope.pth")), new PrintWriter(new StringWriter())).withDataset(TinyRuns.data(16)).run());
        assertTrue(e.getMessage().startsWith("init-from: ") && e.getMessage().contains("does not exist"), e.getMessage());
        assertFalse(java.nio.file.Files.exists(tmp.resolve("bad")));
    }
}
