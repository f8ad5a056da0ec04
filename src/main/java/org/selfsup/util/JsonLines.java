package org.selfsup.util;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A JSON-lines file ({@code metrics.jsonl}) read as bytes, one line at a time: a damaged line (bytes that
 * are not UTF-8, or text that is not a JSON object) is set aside with its line number instead of making the
 * whole file unreadable, so the readers can keep the good lines and say once what they dropped.
 *
 * <p>The last line without its newline was being written when the process was killed (or is being written
 * now); when it does not parse it is {@linkplain Read#unfinished() unfinished}, not damaged.
 */
public final class JsonLines {
    private JsonLines() {}

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A JSON object and its 1-based line number; {@code text} is the line as written (valid UTF-8). */
    public record Line(int number, String text, JsonNode node) {}

    /** A line that could not be read, with why. */
    public record Damaged(int number, String reason) {}

    /** The file's lines: the JSON objects, the damaged lines, and whether the last line was cut short. */
    public record Read(List<Line> lines, List<Damaged> damaged, boolean unfinished) {
        /** A one-line description of the damaged lines, or null when there are none (see {@link #describe}). */
        public String describeDamage() {
            return describe(damaged);
        }
    }

    /** A one-line description of damaged lines ("3 lines (17, 18, 40): not UTF-8 text (first)"), or null. */
    public static String describe(List<Damaged> damaged) {
        if (damaged.isEmpty()) {
            return null;
        }
        List<String> numbers = new ArrayList<>();
        for (int i = 0; i < Math.min(5, damaged.size()); i++) {
            numbers.add(String.valueOf(damaged.get(i).number()));
        }
        String more = damaged.size() > 5 ? ", ..." : "";
        return damaged.size() + (damaged.size() == 1 ? " line (" : " lines (") + String.join(", ", numbers) + more
                + "): " + damaged.get(0).reason() + (damaged.size() > 1 ? " (first)" : "");
    }

    /** Reads {@code file} (which must exist). */
    public static Read read(Path file) throws IOException {
        return parse(Files.readAllBytes(file));
    }

    /** Splits and parses the bytes of a JSON-lines file. */
    public static Read parse(byte[] bytes) {
        List<Line> lines = new ArrayList<>();
        List<Damaged> damaged = new ArrayList<>();
        boolean unfinished = false;
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        int start = 0;
        int number = 0;
        while (start < bytes.length) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            number++;
            boolean last = end == bytes.length; // no newline after it
            String problem = null;
            String text = null;
            JsonNode node = null;
            try {
                text = utf8.decode(ByteBuffer.wrap(bytes, start, end - start)).toString();
            } catch (CharacterCodingException e) {
                problem = "not UTF-8 text";
            }
            if (text != null && !text.isBlank()) {
                try {
                    node = JSON.readTree(text);
                } catch (IOException e) {
                    node = null;
                }
                if (node == null || !node.isObject()) {
                    problem = "not a JSON object";
                }
            }
            if (problem == null && node != null) {
                lines.add(new Line(number, text, node));
            } else if (problem != null && last) {
                unfinished = true;
            } else if (problem != null) {
                damaged.add(new Damaged(number, problem));
            }
            start = end + 1;
        }
        return new Read(lines, damaged, unfinished);
    }
}
