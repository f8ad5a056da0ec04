package org.selfsup.tensorboard;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.selfsup.tensorboard.proto.EventProtos.DataType;
import org.selfsup.tensorboard.proto.EventProtos.Event;
import org.selfsup.tensorboard.proto.EventProtos.Summary;
import org.selfsup.tensorboard.proto.EventProtos.SummaryMetadata;
import org.selfsup.tensorboard.proto.EventProtos.TensorProto;
import org.selfsup.tensorboard.proto.EventProtos.TensorShapeProto;
import org.selfsup.util.AtomicFiles;

/**
 * A run's TensorBoard log, {@code runs/NAME/tensorboard/events.out.tfevents.*}: scalars under stable tags
 * ({@code TYPE/KEY}, e.g. {@code step/loss}, {@code eval/knn_top1}, {@code epoch/img_per_s},
 * {@code summary/knn_top1_random_init}, with the record's {@code step} as TensorBoard's step), images (PNG)
 * and text (markdown, TensorBoard's text plugin), each an {@code Event} holding a {@code Summary}, framed by
 * {@link EventRecords} and flushed at once.
 *
 * <p>On resume the log is cut back to the checkpoint like {@code metrics.jsonl}: events after its step, the
 * previous run's {@code summary/} events and a record cut short by a kill are dropped, and the rest is
 * rewritten atomically before new events are appended to the same file, so TensorBoard shows one curve per
 * tag. A write that fails (disk full, folder removed) is reported once and ends the log; training goes on.
 */
public final class TensorBoardLog implements AutoCloseable {
    /** The log's folder inside a run folder. */
    public static final String FOLDER = "tensorboard";
    /** TensorBoard reads the files of a folder whose names contain {@code tfevents}. */
    public static final String FILE_PREFIX = "events.out.tfevents.";
    /** Tag prefix of the summary line's values, rewritten at the end of every run. */
    public static final String SUMMARY = "summary";

    private final Path file;
    private final Consumer<String> warn;
    private OutputStream out;

    private TensorBoardLog(Path file, OutputStream out, Consumer<String> warn) {
        this.file = file;
        this.out = out;
        this.warn = warn;
    }

    /**
     * Opens the log in {@code dir} for appending after keeping only the events with {@code step <=
     * keepUpToStep} (0 for a fresh run: earlier files are removed and a new one is started).
     *
     * @param warn receives one line when the log cannot be written, or when a damaged tail was dropped
     * @throws IOException when the folder or file cannot be created
     */
    public static TensorBoardLog open(Path dir, long keepUpToStep, Consumer<String> warn) throws IOException {
        Files.createDirectories(dir);
        List<Path> existing = eventFiles(dir);
        if (keepUpToStep <= 0) {
            for (Path p : existing) {
                Files.deleteIfExists(p);
            }
            existing = List.of();
        }
        Path file;
        if (existing.isEmpty()) {
            file = dir.resolve(FILE_PREFIX + (System.currentTimeMillis() / 1000) + ".selfsup");
            AtomicFiles.write(file, EventRecords.frame(Event.newBuilder().setWallTime(now())
                    .setFileVersion("brain.Event:2").build().toByteArray()));
        } else {
            for (Path p : existing) {
                cut(p, keepUpToStep, warn);
            }
            file = existing.get(existing.size() - 1);
        }
        OutputStream os = Files.newOutputStream(file, StandardOpenOption.APPEND);
        return new TensorBoardLog(file, os, warn);
    }

    /** The event files of {@code dir}, by name (TensorBoard's reading order). */
    public static List<Path> eventFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(FILE_PREFIX) && Files.isRegularFile(p))
                    .sorted().toList();
        }
    }

    /** Rewrites {@code file} without the events after {@code step}, the summary events and a damaged tail. */
    private static void cut(Path file, long step, Consumer<String> warn) throws IOException {
        EventRecords.Read read;
        try (InputStream in = Files.newInputStream(file)) {
            read = EventRecords.read(in);
        }
        List<byte[]> kept = new ArrayList<>();
        for (byte[] r : read.records()) {
            Event e;
            try {
                e = Event.parseFrom(r);
            } catch (InvalidProtocolBufferException x) {
                continue; // intact CRCs around an unreadable message: drop it
            }
            boolean summary = e.hasSummary() && e.getSummary().getValueList().stream()
                    .anyMatch(v -> v.getTag().startsWith(SUMMARY + "/"));
            if (e.hasFileVersion() || (e.getStep() <= step && !summary)) {
                kept.add(r);
            }
        }
        if (!read.intact()) {
            warn.accept("warning: " + file + ": dropped a record cut short (the run was killed while writing it)");
        }
        if (kept.size() != read.records().size() || !read.intact()) {
            AtomicFiles.write(file, EventRecords.frameAll(kept));
        }
    }

    /** The file being written. */
    public Path file() {
        return file;
    }

    /**
     * One metrics record ({@code metrics.jsonl} line) as scalars: each numeric field but {@code step} as tag
     * {@code type/field} at the record's {@code step}; nothing for a record without a step.
     */
    public void record(String type, Map<String, ?> fields) {
        if (!(fields.get("step") instanceof Number step)) {
            return;
        }
        scalars(type, step.longValue(), fields);
    }

    /** The numeric values of {@code fields} (but {@code step}) as scalars {@code group/key} at {@code step}. */
    public synchronized void scalars(String group, long step, Map<String, ?> fields) {
        Summary.Builder s = Summary.newBuilder();
        for (Map.Entry<String, ?> e : fields.entrySet()) {
            if (!e.getKey().equals("step") && e.getValue() instanceof Number n) {
                s.addValue(Summary.Value.newBuilder().setTag(group + "/" + e.getKey())
                        .setSimpleValue(n.floatValue()));
            }
        }
        if (s.getValueCount() > 0) {
            write(step, s.build());
        }
    }

    /** An image (encoded as PNG) under {@code tag} at {@code step}. */
    public synchronized void image(String tag, long step, BufferedImage image) {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", png);
        } catch (IOException e) {
            fail(e);
            return;
        }
        int channels = image.getColorModel().hasAlpha() ? 4 : image.getColorModel().getNumComponents();
        Summary.Image img = Summary.Image.newBuilder().setHeight(image.getHeight()).setWidth(image.getWidth())
                .setColorspace(channels).setEncodedImageString(ByteString.copyFrom(png.toByteArray())).build();
        write(step, Summary.newBuilder().addValue(Summary.Value.newBuilder().setTag(tag).setImage(img)).build());
    }

    /** Markdown text under {@code tag} at {@code step} (TensorBoard's text plugin: a string tensor). */
    public synchronized void text(String tag, long step, String markdown) {
        TensorProto tensor = TensorProto.newBuilder().setDtype(DataType.DT_STRING)
                .setTensorShape(TensorShapeProto.getDefaultInstance())
                .addStringVal(ByteString.copyFrom(markdown, StandardCharsets.UTF_8)).build();
        SummaryMetadata meta = SummaryMetadata.newBuilder()
                .setPluginData(SummaryMetadata.PluginData.newBuilder().setPluginName("text")).build();
        write(step, Summary.newBuilder().addValue(Summary.Value.newBuilder().setTag(tag).setMetadata(meta)
                .setTensor(tensor)).build());
    }

    private void write(long step, Summary summary) {
        if (out == null) {
            return;
        }
        try {
            EventRecords.write(out, Event.newBuilder().setWallTime(now()).setStep(step).setSummary(summary).build()
                    .toByteArray());
            out.flush();
        } catch (IOException e) {
            fail(e);
        }
    }

    private void fail(IOException e) {
        warn.accept("warning: TensorBoard log " + file + " stopped: " + e.getMessage() + " (training goes on)");
        closeQuietly();
    }

    private static double now() {
        return System.currentTimeMillis() / 1000.0;
    }

    private void closeQuietly() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException ignored) {
                // already failed once: said
            }
            out = null;
        }
    }

    @Override
    public synchronized void close() {
        closeQuietly();
    }
}
