package org.selfsup.tensorboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfsup.tensorboard.proto.EventProtos.DataType;
import org.selfsup.tensorboard.proto.EventProtos.Event;
import org.selfsup.tensorboard.proto.EventProtos.Summary;

/** Event files: every record's CRCs check with an independent reader, every value decodes back. */
class TensorBoardLogTest {
    @TempDir
    Path dir;

    @Test
    void crcMatchesTheKnownCheckValue() {
        // CRC-32C of "123456789" is 0xE3069283 (RFC 3720 check value): the test reader's CRC is right
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertEquals(0xE3069283, EventFileReader.crc32c(check, 0, check.length));
        assertEquals(EventFileReader.masked(0xE3069283), EventRecords.maskedCrc(check, 0, check.length));
    }

    @Test
    void scalarsImagesAndTextDecodeBack() throws Exception {
        BufferedImage img = new BufferedImage(5, 3, BufferedImage.TYPE_INT_RGB);
        img.setRGB(2, 1, 0x123456);
        try (TensorBoardLog log = TensorBoardLog.open(dir, 0, line -> { throw new AssertionError(line); })) {
            log.text("config", 0, "name: run\nlr: 0.1");
            log.image("augmentations", 0, img);
            for (int k = 1; k <= 3; k++) {
                Map<String, Object> rec = new LinkedHashMap<>();
                rec.put("step", (long) k);
                rec.put("epoch", 0);
                rec.put("loss", 1.0 / k);
                rec.put("note", "text is not a scalar");
                log.record("step", rec);
            }
            log.record("eval", Map.of("step", 3L, "knn_top1", 42.5, "rankme", 7.25));
            log.record("epoch", Map.of("no_step", 1.0)); // no step: nothing
        }
        List<Path> files = TensorBoardLog.eventFiles(dir);
        assertEquals(1, files.size());
        assertTrue(files.get(0).getFileName().toString().contains("tfevents"));
        List<Event> events = EventFileReader.read(files.get(0));
        assertEquals("brain.Event:2", events.get(0).getFileVersion());
        assertEquals(1 + 2 + 3 + 1, events.size());

        Summary.Value text = events.get(1).getSummary().getValue(0);
        assertEquals("config", text.getTag());
        assertEquals("text", text.getMetadata().getPluginData().getPluginName());
        assertEquals(DataType.DT_STRING, text.getTensor().getDtype());
        assertEquals("name: run\nlr: 0.1", text.getTensor().getStringVal(0).toStringUtf8());

        Summary.Image im = events.get(2).getSummary().getValue(0).getImage();
        assertEquals(3, im.getHeight());
        assertEquals(5, im.getWidth());
        assertEquals(3, im.getColorspace());
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(im.getEncodedImageString().toByteArray()));
        assertEquals(0x123456, back.getRGB(2, 1) & 0xFFFFFF);

        for (int k = 1; k <= 3; k++) {
            Event e = events.get(2 + k);
            assertEquals(k, e.getStep());
            Map<String, Float> v = values(e);
            assertEquals(Map.of("step/epoch", 0f, "step/loss", (float) (1.0 / k)), v);
        }
        assertEquals(Map.of("eval/knn_top1", 42.5f, "eval/rankme", 7.25f), values(events.get(6)));
        assertEquals(3, events.get(6).getStep());
    }

    @Test
    void resumeCutsBackSoEveryStepAppearsOnce() throws Exception {
        try (TensorBoardLog log = TensorBoardLog.open(dir, 0, line -> { })) {
            for (long k = 1; k <= 10; k++) {
                log.record("step", Map.of("step", k, "loss", (double) k));
            }
            log.record("summary", Map.of("step", 10L, "knn_top1", 50.0));
        }
        // killed after a checkpoint at step 6 (a record cut short at the end), then resumed
        Path file = TensorBoardLog.eventFiles(dir).get(0);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 5));
        List<String> warnings = new ArrayList<>();
        try (TensorBoardLog log = TensorBoardLog.open(dir, 6, warnings::add)) {
            assertEquals(file, log.file());
            for (long k = 7; k <= 12; k++) {
                log.record("step", Map.of("step", k, "loss", (double) k));
            }
            log.record("summary", Map.of("step", 12L, "knn_top1", 60.0));
        }
        assertEquals(1, warnings.size(), warnings.toString());
        // a finished run re-run: only its summary is rewritten
        try (TensorBoardLog log = TensorBoardLog.open(dir, Long.MAX_VALUE, line -> { })) {
            log.record("summary", Map.of("step", 12L, "knn_top1", 61.0));
        }
        List<Event> events = EventFileReader.read(file);
        List<Long> steps = new ArrayList<>();
        List<Float> summaries = new ArrayList<>();
        for (Event e : events) {
            Map<String, Float> v = values(e);
            if (v.containsKey("step/loss")) {
                steps.add(e.getStep());
                assertEquals((float) e.getStep(), v.get("step/loss"));
            }
            if (v.containsKey("summary/knn_top1")) {
                summaries.add(v.get("summary/knn_top1"));
            }
        }
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L), steps);
        assertEquals(List.of(61.0f), summaries);
    }

    private static Map<String, Float> values(Event e) {
        Map<String, Float> out = new LinkedHashMap<>();
        for (Summary.Value v : e.getSummary().getValueList()) {
            out.put(v.getTag(), v.getSimpleValue());
        }
        return out;
    }
}
