package org.selfsup.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.selfsup.cli.CliRun;
import org.selfsup.cli.Main;
import picocli.CommandLine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code bench step} and {@code bench epoch} on tiny models: output, flat native array counts, errors. */
class BenchCommandsTest {
    @BeforeAll
    static void threads() {
        ai.djl.engine.Engine.getInstance();
        ai.djl.pytorch.jni.JniUtils.setNumThreads(1);
    }

    private static CliRun run(String... args) {
        return CliRun.execute(args);
    }

    private static JsonNode jsonLine(String out) throws Exception {
        String line = out.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElseThrow();
        return new ObjectMapper().readTree(line);
    }

    @Test
    void stepReportsTimesAndAFlatArrayCount() throws Exception {
        CliRun r = run("bench", "step", "--method", "rsa", "--arch", "small", "--width", "4", "--batch", "4",
                "--size", "16", "--device", "cpu", "--steps", "3", "--warmup", "1", "--torch-threads", "1");
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("median step"), r.out());
        JsonNode j = jsonLine(r.out());
        assertEquals("step", j.get("bench").asText());
        assertEquals(4, j.get("views").asInt()); // RSA's own view count
        assertEquals(1, j.get("torch_threads").asInt());
        assertEquals(3, j.get("step_ms").size());
        assertTrue(j.get("median_ms").asDouble() > 0);
        assertTrue(j.get("src_img_per_s").asDouble() > 0);
        assertTrue(Double.isFinite(j.get("last_loss").asDouble()));
        assertTrue(j.get("arrays_start").asInt() > 0);
        assertEquals(j.get("arrays_start").asInt(), j.get("arrays_end").asInt(), "native arrays leak per step");
        assertTrue(j.get("rss_end_kib").asLong() > 0);
        assertEquals("fp32", j.get("precision").asText());
        assertEquals(false, j.get("channels_last").asBoolean());
    }

    @Test
    void stepRunsAtBf16WithChannelsLastAndSaysSo() throws Exception {
        CliRun r = run("bench", "step", "--method", "byol", "--arch", "small", "--width", "4", "--batch", "4",
                "--size", "16", "--device", "cpu", "--steps", "2", "--warmup", "1", "--torch-threads", "1",
                "--precision", "bf16", "--channels-last", "--tf32");
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("precision bf16, channels-last"), r.out());
        assertTrue(r.out().contains("channels-last: ") && r.out().contains("tf32: no effect on the CPU"), r.out());
        JsonNode j = jsonLine(r.out());
        assertEquals("bf16", j.get("precision").asText());
        assertTrue(j.get("channels_last").asBoolean());
        assertTrue(Double.isFinite(j.get("last_loss").asDouble()));
        assertEquals(j.get("arrays_start").asInt(), j.get("arrays_end").asInt(), "native arrays leak per step");
        CliRun bad = run("bench", "step", "--precision", "half");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--precision"), bad.err());
    }

    @Test
    void stepRejectsAViewCountTheMethodCannotRead() {
        CliRun r = run("bench", "step", "--method", "byol", "--arch", "small", "--width", "4", "--batch", "4",
                "--size", "16", "--views", "4", "--steps", "1", "--warmup", "0");
        assertEquals(2, r.code(), r.out());
        assertTrue(r.err().contains("--views: method byol reads 2 views"), r.err());
    }

    @Test
    void epochRunsTheRealPipelineOnBothPaths() throws Exception {
        for (String on : new String[] {"cpu", "device"}) {
            CliRun r = run("bench", "epoch", "--dataset", "synthetic", "--method", "byol", "--plan", "byol",
                    "--arch", "small", "--width", "4", "--image-size", "16", "--batch-size", "8", "--threads", "1",
                    "--device", "cpu", "--augment-on", on, "--max-steps", "3");
            assertEquals(0, r.code(), r.err() + r.out());
            JsonNode j = jsonLine(r.out());
            assertEquals(on, j.get("augment_on").asText());
            assertEquals(3, j.get("steps").asInt());
            assertTrue(j.get("src_img_per_s").asDouble() > 0, j.toString());
            assertTrue(j.get("wait_ms_total").asDouble() >= 0, j.toString());
            assertEquals(j.get("arrays_start").asInt(), j.get("arrays_end").asInt(), j.toString());
            assertTrue(r.out().contains("waited per step"), r.out());
        }
    }

    /** Two epochs: the first step of the second epoch is reported (its batch was prefetched). */
    @Test
    void epochReportsTheWaitAtTheEpochBoundary() throws Exception {
        CliRun r = run("bench", "epoch", "--dataset", "synthetic", "--method", "simsiam", "--plan", "simsiam",
                "--arch", "small", "--width", "4", "--image-size", "16", "--batch-size", "250", "--threads", "1",
                "--device", "cpu", "--epochs", "2");
        assertEquals(0, r.code(), r.err() + r.out());
        JsonNode j = jsonLine(r.out());
        assertEquals(8, j.get("steps").asInt()); // 1000 synthetic images / 250
        assertTrue(j.get("wait_ms_epoch_start").asDouble() >= 0, j.toString());
        assertTrue(j.get("wait_ms_first_step").asDouble() > 0, j.toString());
        assertTrue(r.out().contains("waited at epoch start"), r.out());
    }
}
