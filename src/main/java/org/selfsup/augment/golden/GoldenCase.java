package org.selfsup.augment.golden;

import com.fasterxml.jackson.databind.JsonNode;
import org.selfsup.data.Image;

/**
 * One loaded reference case: the op name and its parameters, the input image and the expected
 * output computed with PIL/torchvision.
 *
 * @param id       the case id from {@code cases.jsonl}
 * @param op       the op name (e.g. {@code resized_crop})
 * @param params   the op parameters (a JSON object)
 * @param input    the source image
 * @param expected the reference output
 */
public record GoldenCase(int id, String op, JsonNode params, Image input, Image expected) {
}
