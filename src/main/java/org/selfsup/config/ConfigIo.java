package org.selfsup.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import org.selfsup.util.IoMessages;
import org.selfsup.util.UserException;

/** Jackson mappers for configuration files, and reading a file into a tree with user-level errors. */
final class ConfigIo {
    private ConfigIo() {}

    /**
     * Largest configuration file read (64 KiB; a complete configuration is about 2 KB). The YAML parser's
     * time grows faster than linearly with long comments (a 1 MiB comment took 4.5 s), so a larger file is
     * refused before it is parsed.
     */
    static final int MAX_FILE_BYTES = 64 * 1024;

    // Strict parsing: duplicate keys and anything after the first value (JSON junk, a second YAML
    // document) are errors, not silently ignored.
    static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    static final ObjectMapper YAML = new YAMLMapper(YAMLFactory.builder()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                    .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                    .build())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    static String toYaml(TrainConfig c) {
        try {
            return YAML.writeValueAsString(c);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String toJson(TrainConfig c) {
        try {
            return JSON.writeValueAsString(c);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static TrainConfig fromJson(String json) {
        try {
            return JSON.readValue(json, TrainConfig.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The mapper for a file, chosen by extension (.yaml/.yml or .json). */
    static ObjectMapper mapperFor(Path file) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".yaml") || n.endsWith(".yml")) {
            return YAML;
        } else if (n.endsWith(".json")) {
            return JSON;
        }
        throw new UserException("config file " + file + ": unknown extension (use .yaml, .yml or .json)");
    }

    /** Parses a config file into a tree; a missing, unreadable or malformed file is a UserException. */
    static JsonNode readTree(Path file) {
        ObjectMapper mapper = mapperFor(file);
        if (!Files.exists(file)) {
            throw new UserException("config file " + file + " does not exist");
        }
        if (!Files.isRegularFile(file)) {
            throw new UserException("config file " + file + " is not a regular file");
        }
        return readTree(decode(file, readCapped(file)), mapper, "config file " + file);
    }

    /** The file's bytes; more than {@link #MAX_FILE_BYTES} is refused without reading the rest. */
    private static byte[] readCapped(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(MAX_FILE_BYTES + 1);
            if (bytes.length > MAX_FILE_BYTES) {
                throw new UserException("config file " + file + " is larger than the limit of " + MAX_FILE_BYTES / 1024
                        + " KiB (" + Files.size(file) + " bytes; a complete configuration is about 2 KB)");
            }
            return bytes;
        } catch (IOException e) {
            throw new UserException("config file " + file + ": cannot read: " + IoMessages.reason(e), e);
        }
    }

    private static String decode(Path file, byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new UserException("config file " + file + ": not UTF-8 text");
        }
    }

    /** Parses YAML or JSON text; malformed text is a UserException starting with {@code origin}. */
    static JsonNode readTree(String text, ObjectMapper mapper, String origin) {
        try {
            return mapper.readTree(text);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            String msg = e.getOriginalMessage().lines().findFirst().orElse("syntax error");
            throw new UserException(origin + ": not valid " + (mapper == YAML ? "YAML" : "JSON") + where + ": " + msg);
        }
    }

    /** Writes text to a file atomically: a temporary file in the same folder, then a rename. */
    static void writeAtomically(Path file, String text) {
        Path parent = file.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(parent);
            tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
            Files.writeString(tmp, text);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UserException("cannot write " + file + ": " + IoMessages.reason(e), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the temporary file never looks like a finished config
                }
            }
        }
    }
}
