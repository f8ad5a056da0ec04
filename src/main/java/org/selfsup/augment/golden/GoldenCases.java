package org.selfsup.augment.golden;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.selfsup.data.Image;
import org.selfsup.util.UserException;

/**
 * Reads a golden reference folder: {@code cases.jsonl} (one JSON object per line with {@code id, op,
 * params, input, input_height, input_width, output, output_height, output_width, channels}) and the
 * raw uint8 HWC {@code .u8} files it names.
 */
public final class GoldenCases {
    private static final ObjectMapper JSON = new ObjectMapper();

    private GoldenCases() {
    }

    /**
     * Loads every case of the folder and checks that each op is known and its parameters valid.
     *
     * @throws UserException if the folder or {@code cases.jsonl} is missing, a line is not valid,
     *                       a referenced file is missing or has the wrong size, or an op is unknown
     */
    public static List<GoldenCase> load(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new UserException("golden folder " + dir + " does not exist or is not a directory");
        }
        Path casesFile = dir.resolve("cases.jsonl");
        if (!Files.isRegularFile(casesFile)) {
            throw new UserException("golden folder " + dir + " has no cases.jsonl");
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(casesFile);
        } catch (IOException e) {
            throw new UserException("cannot read " + casesFile + ": " + e.getMessage(), e);
        }
        Map<String, Image> inputs = new HashMap<>();
        List<GoldenCase> cases = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            String where = casesFile + " line " + (i + 1);
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (JsonProcessingException e) {
                throw new UserException(where + ": not valid JSON: " + e.getOriginalMessage());
            }
            if (node == null || !node.isObject()) {
                throw new UserException(where + ": expected a JSON object");
            }
            GoldenCase c = parse(dir, node, where, inputs);
            // Build the op once now so unknown ops and bad parameters are reported as user errors up front.
            GoldenOps.create(c.op(), c.params(), where);
            cases.add(c);
        }
        if (cases.isEmpty()) {
            throw new UserException(casesFile + " contains no cases");
        }
        return cases;
    }

    private static GoldenCase parse(Path dir, JsonNode node, String where, Map<String, Image> inputs) {
        int id = intField(node, "id", where);
        String op = textField(node, "op", where);
        JsonNode params = node.get("params");
        if (params == null || params.isNull()) {
            params = JSON.createObjectNode();
        } else if (!params.isObject()) {
            throw new UserException(where + ": 'params' must be a JSON object");
        }
        int channels = intField(node, "channels", where);
        String inputName = textField(node, "input", where);
        int inH = intField(node, "input_height", where);
        int inW = intField(node, "input_width", where);
        Image input = inputs.get(inputName);
        if (input == null) {
            input = readImage(dir, inputName, inH, inW, channels, where);
            inputs.put(inputName, input);
        } else if (input.height() != inH || input.width() != inW || input.channels() != channels) {
            throw new UserException(where + ": " + inputName + " is used with different sizes");
        }
        Image expected = readImage(dir, textField(node, "output", where), intField(node, "output_height", where),
                intField(node, "output_width", where), channels, where);
        return new GoldenCase(id, op, params, input, expected);
    }

    private static Image readImage(Path dir, String name, int h, int w, int c, String where) {
        Path file = dir.resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new UserException(where + ": image file " + file + " does not exist");
        }
        byte[] data;
        try {
            data = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UserException("cannot read " + file + ": " + e.getMessage(), e);
        }
        long want = (long) h * w * c;
        if (data.length != want) {
            throw new UserException(where + ": " + file + " has " + data.length + " bytes, expected " + h + "x" + w
                    + "x" + c + " = " + want);
        }
        return new Image(h, w, c, data);
    }

    private static int intField(JsonNode node, String key, String where) {
        JsonNode v = node.get(key);
        if (v == null || !v.canConvertToInt() || !v.isIntegralNumber()) {
            throw new UserException(where + ": missing or non-integer '" + key + "'");
        }
        int value = v.intValue();
        if (!key.equals("id") && value <= 0) {
            throw new UserException(where + ": '" + key + "' must be positive, got " + value);
        }
        return value;
    }

    private static String textField(JsonNode node, String key, String where) {
        JsonNode v = node.get(key);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new UserException(where + ": missing or non-text '" + key + "'");
        }
        return v.asText();
    }
}
