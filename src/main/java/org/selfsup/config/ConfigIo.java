package org.selfsup.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import org.selfsup.util.UserException;

/** Jackson mappers for configuration files, and reading a file into a tree with user-level errors. */
final class ConfigIo {
    private ConfigIo() {}

    static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    static final ObjectMapper YAML = new YAMLMapper(YAMLFactory.builder()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                    .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                    .build())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

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
        if (!Files.isRegularFile(file)) {
            throw new UserException("config file " + file + " does not exist");
        }
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException | UncheckedIOException e) {
            throw new UserException("config file " + file + ": cannot read (" + e.getMessage() + ")");
        }
        return readTree(text, mapper, "config file " + file);
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
            throw new UserException("cannot write " + file + ": " + org.selfsup.util.IoMessages.reason(e), e);
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
