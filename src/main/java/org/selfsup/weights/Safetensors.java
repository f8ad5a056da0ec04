package org.selfsup.weights;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.selfsup.util.AtomicFiles;
import org.selfsup.util.IoMessages;
import org.selfsup.util.UserException;

/**
 * Reader and writer of the safetensors format: an 8-byte little-endian header length N, N bytes of
 * JSON header ({@code name -> {dtype, shape, data_offsets}} plus an optional {@code __metadata__} map of
 * strings), then the raw little-endian data.
 *
 * <p>Written here rather than taken from a library: no maintained Java implementation is on Maven
 * Central, and DJL's {@code NDList.decode} allocates the header from the unchecked length field. The
 * reader trusts nothing in the file: the header length is bounded by the file size (and 100 MB, the
 * reference implementation's limit), every dtype must be known, every shape's element count times the
 * dtype size must equal its byte range, and the ranges must lie inside the data section, start at 0,
 * and be contiguous and non-overlapping up to its end. Nothing is allocated before those checks pass.
 */
public final class Safetensors {
    private Safetensors() {}

    /** Largest header accepted (the reference implementation's limit). */
    static final long MAX_HEADER = 100L * 1024 * 1024;
    private static final String METADATA = "__metadata__";
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /** The tensors (in file order of their keys) and the {@code __metadata__} strings of a file. */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {}

    /** Whether {@code head} (the first bytes of a file) can start a safetensors file. */
    static boolean looksLike(byte[] head, long fileSize) {
        if (head.length < 9 || fileSize < 10) {
            return false;
        }
        long n = ByteBuffer.wrap(head, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return n > 0 && n <= fileSize - 8 && head[8] == '{';
    }

    /**
     * Reads a whole file.
     *
     * @throws UserException naming the file and what is wrong with it
     */
    public static Contents read(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(ch, file.toString());
        } catch (NoSuchFileException e) {
            throw new UserException(file + ": does not exist");
        } catch (IOException e) {
            throw new UserException(file + ": cannot read: " + IoMessages.reason(e), e);
        }
    }

    private record Placed(String name, DType dtype, long[] shape, long begin, long end) {}

    private static Contents read(FileChannel ch, String name) throws IOException {
        long size = ch.size();
        if (size < 8) {
            throw bad(name, "only " + size + " bytes, too short for the 8-byte header length");
        }
        ByteBuffer lenBuf = readAt(ch, 0, 8, name);
        long headerLen = lenBuf.order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (headerLen < 2 || headerLen > size - 8) {
            throw bad(name, "header length " + Long.toUnsignedString(headerLen) + " does not fit a " + size
                    + "-byte file (not a safetensors file, or truncated)");
        }
        if (headerLen > MAX_HEADER) {
            throw bad(name, "header of " + headerLen + " bytes exceeds the " + MAX_HEADER + "-byte limit");
        }
        ByteBuffer headerBytes = readAt(ch, 8, (int) headerLen, name);
        String headerText = StandardCharsets.UTF_8.decode(headerBytes).toString();
        if (!headerText.startsWith("{")) {
            throw bad(name, "header is not a JSON object (not a safetensors file?)");
        }
        JsonNode header;
        try {
            header = JSON.readTree(headerText.stripTrailing());
        } catch (JsonProcessingException e) {
            throw bad(name, "header is not valid JSON: " + e.getOriginalMessage());
        }
        if (!(header instanceof ObjectNode obj)) {
            throw bad(name, "header is not a JSON object");
        }
        long dataStart = 8 + headerLen;
        long dataSize = size - dataStart;
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Placed> placed = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals(METADATA)) {
                readMetadata(e.getValue(), metadata, name);
            } else {
                placed.add(entry(e.getKey(), e.getValue(), dataSize, name));
            }
        }
        List<Placed> byOffset = new ArrayList<>(placed);
        byOffset.sort(Comparator.comparingLong(Placed::begin).thenComparingLong(Placed::end));
        long expect = 0;
        for (Placed p : byOffset) {
            if (p.begin() != expect) {
                throw bad(name, "tensor '" + p.name() + "' starts at data offset " + p.begin() + " but the previous "
                        + "tensor ends at " + expect + (p.begin() < expect ? " (overlapping data)" : " (gap in the data)"));
            }
            expect = p.end();
        }
        if (expect != dataSize) {
            throw bad(name, "tensors cover " + expect + " of the " + dataSize + " data bytes (trailing garbage or "
                    + "wrong header)");
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Placed p : placed) {
            long bytes = p.end() - p.begin();
            if (bytes > Integer.MAX_VALUE - 8) {
                throw bad(name, "tensor '" + p.name() + "' has " + bytes + " bytes, more than one array can hold");
            }
            ByteBuffer data = readAt(ch, dataStart + p.begin(), (int) bytes, name);
            tensors.put(p.name(), TensorBytes.decode(p.dtype(), p.shape(), data,
                    (int) (bytes / p.dtype().bytes())));
        }
        return new Contents(tensors, metadata);
    }

    private static void readMetadata(JsonNode node, Map<String, String> into, String file) {
        if (!node.isObject()) {
            throw bad(file, METADATA + " is not a JSON object");
        }
        node.fields().forEachRemaining(m -> {
            if (!m.getValue().isTextual()) {
                throw bad(file, METADATA + " value of '" + m.getKey() + "' is not a string");
            }
            into.put(m.getKey(), m.getValue().asText());
        });
    }

    private static Placed entry(String tensor, JsonNode node, long dataSize, String file) {
        String what = "tensor '" + tensor + "'";
        if (!node.isObject()) {
            throw bad(file, what + ": entry is not a JSON object");
        }
        JsonNode dt = node.get("dtype");
        if (dt == null || !dt.isTextual()) {
            throw bad(file, what + ": missing dtype");
        }
        DType dtype = DType.ofSafetensors(dt.asText());
        if (dtype == null) {
            throw bad(file, what + ": unknown dtype '" + dt.asText() + "'");
        }
        JsonNode sh = node.get("shape");
        if (sh == null || !sh.isArray()) {
            throw bad(file, what + ": missing shape");
        }
        long[] shape = new long[sh.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = sh.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToLong() || d.asLong() < 0) {
                throw bad(file, what + ": shape " + sh + " is not a list of non-negative integers");
            }
            shape[i] = d.asLong();
        }
        JsonNode off = node.get("data_offsets");
        if (off == null || !off.isArray() || off.size() != 2 || !off.get(0).isIntegralNumber()
                || !off.get(1).isIntegralNumber() || !off.get(0).canConvertToLong() || !off.get(1).canConvertToLong()) {
            throw bad(file, what + ": data_offsets must be two integers");
        }
        long begin = off.get(0).asLong();
        long end = off.get(1).asLong();
        if (begin < 0 || end < begin || end > dataSize) {
            throw bad(file, what + ": data_offsets [" + begin + ", " + end + "] lie outside the " + dataSize
                    + "-byte data section");
        }
        long n = Tensor.elements(shape);
        if (n < 0 || n > (end - begin) / dtype.bytes() || n * dtype.bytes() != end - begin) {
            throw bad(file, what + ": shape " + sh + " of " + dtype.safetensorsName() + " needs "
                    + (n < 0 ? "an impossible number of" : String.valueOf(n * dtype.bytes())) + " bytes, its "
                    + "data_offsets span " + (end - begin));
        }
        return new Placed(tensor, dtype, shape, begin, end);
    }

    private static ByteBuffer readAt(FileChannel ch, long position, int length, String file) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        while (b.hasRemaining()) {
            if (ch.read(b, position + b.position()) < 0) {
                throw bad(file, "truncated at byte " + (position + b.position()));
            }
        }
        return b.flip();
    }

    private static UserException bad(String file, String what) {
        return new UserException(file + ": not a valid safetensors file: " + what);
    }

    /**
     * Atomically writes {@code tensors} (float32 or int64) in iteration order, with {@code metadata} as
     * {@code __metadata__}. The header is padded with spaces so the data starts 8-byte aligned.
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode m = header.putObject(METADATA);
            metadata.forEach(m::put);
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = e.getValue();
            if (t.dtype() != DType.F32 && t.dtype() != DType.I64) {
                throw new IllegalArgumentException(e.getKey() + ": only float32 and int64 are written, not " + t.dtype());
            }
            ObjectNode entry = header.putObject(e.getKey());
            entry.put("dtype", t.dtype().safetensorsName());
            for (long d : t.shape()) {
                entry.withArray("shape").add(d);
            }
            if (t.shape().length == 0) {
                entry.putArray("shape");
            }
            long bytes = t.size() * t.dtype().bytes();
            entry.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        int padded = (json.length + 8 + 7) / 8 * 8 - 8;
        byte[] head = new byte[8 + padded];
        ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
        System.arraycopy(json, 0, head, 8, json.length);
        java.util.Arrays.fill(head, 8 + json.length, head.length, (byte) ' ');
        AtomicFiles.write(file, out -> {
            out.write(head);
            for (Tensor t : tensors.values()) {
                out.write(TensorBytes.encode(t));
            }
        });
    }
}
