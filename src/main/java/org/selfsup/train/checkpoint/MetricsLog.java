package org.selfsup.train.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.selfsup.util.AtomicFiles;
import org.selfsup.util.JsonLines;

/**
 * {@code metrics.jsonl}: one JSON object per line (see contracts: {@code type} = step, eval, epoch,
 * summary), flushed after every line so a killed run loses at most the line being written.
 *
 * <p>On resume the log is cut back to the checkpoint: lines whose {@code step} is after the checkpoint's,
 * lines without a step, a previous {@code summary}, a half-written last line and damaged lines (not UTF-8,
 * not JSON: warned about once) are dropped, so the log has no duplicates when the run re-does those steps.
 */
public final class MetricsLog implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;
    private final Writer out;
    private final List<java.util.function.BiConsumer<String, Map<String, ?>>> copies = new ArrayList<>();

    private MetricsLog(Path file, Writer out) {
        this.file = file;
        this.out = out;
    }

    /**
     * Opens {@code file} for appending after keeping only the lines with {@code step <= keepUpToStep}
     * (0 for a fresh run: everything is dropped). The file is read as bytes, line by line: lines that are
     * not UTF-8 or not JSON objects (a disk error, an editor) are dropped with one warning to {@code warn}
     * saying how many, where, and whether any lay before the checkpoint (whose records are then lost).
     */
    public static MetricsLog open(Path file, long keepUpToStep, Consumer<String> warn) {
        try {
            if (Files.exists(file)) {
                JsonLines.Read read = JsonLines.read(file);
                List<String> kept = new ArrayList<>();
                int lastKeptLine = 0;
                for (JsonLines.Line line : read.lines()) {
                    JsonNode node = line.node();
                    // a summary is rewritten at the end of every run (re-running a finished run too)
                    if (node.has("step") && node.get("step").asLong() <= keepUpToStep
                            && !"summary".equals(node.path("type").asText())) {
                        kept.add(line.text());
                        lastKeptLine = line.number();
                    }
                }
                warnDamage(file, read, lastKeptLine, keepUpToStep, warn);
                AtomicFiles.write(file, (String.join("\n", kept) + (kept.isEmpty() ? "" : "\n"))
                        .getBytes(StandardCharsets.UTF_8));
            }
            Writer w = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND));
            return new MetricsLog(file, w);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file, e);
        }
    }

    private static void warnDamage(Path file, JsonLines.Read read, int lastKeptLine, long step, Consumer<String> warn) {
        String damage = read.describeDamage();
        if (damage == null) {
            return;
        }
        long lost = read.damaged().stream().filter(d -> d.number() < lastKeptLine).count();
        warn.accept("warning: " + file + ": dropped " + damage + "; " + (lost == 0
                ? "all past the checkpoint's step " + step + ", so nothing kept was lost"
                : lost + " of them before the checkpoint's step " + step + ": those records are lost"));
    }

    /**
     * Also hands every record written from now on to {@code copy} (type and fields, after the line is
     * written): the TensorBoard log's scalars come from here, so they are exactly the metrics' numbers.
     */
    public MetricsLog alsoTo(java.util.function.BiConsumer<String, Map<String, ?>> copy) {
        copies.add(copy);
        return this;
    }

    /** Appends one record; {@code type} comes first. */
    public void write(String type, Map<String, ?> fields) {
        Map<String, Object> rec = new LinkedHashMap<>();
        rec.put("type", type);
        for (Map.Entry<String, ?> e : fields.entrySet()) {
            Object v = e.getValue();
            // JSON has no NaN/Infinity: write them as strings so the line stays valid
            if (v instanceof Double d && (d.isNaN() || d.isInfinite())) {
                v = d.toString();
            }
            rec.put(e.getKey(), v);
        }
        try {
            out.write(JSON.writeValueAsString(rec));
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        for (java.util.function.BiConsumer<String, Map<String, ?>> c : copies) {
            c.accept(type, fields);
        }
        if (RunPoints.hooked() && "step".equals(type)) {
            RunPoints.reach("step:" + fields.get("step"));
        }
    }

    /** All readable records currently in {@code file} (for resume checks and tests); damaged lines are skipped. */
    public static List<JsonNode> read(Path file) {
        try {
            List<JsonNode> out = new ArrayList<>();
            if (Files.exists(file)) {
                for (JsonLines.Line line : JsonLines.read(file).lines()) {
                    out.add(line.node());
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Whether {@code file} holds an {@code eval} line of 0-based {@code epoch}. */
    public static boolean hasEval(Path file, int epoch) {
        for (JsonNode n : read(file)) {
            if ("eval".equals(n.path("type").asText()) && n.path("epoch").asInt(-1) == epoch) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + file, e);
        }
    }
}
