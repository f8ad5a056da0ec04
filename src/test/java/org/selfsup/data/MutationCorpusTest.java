package org.selfsup.data;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.selfsup.data.stream.ImageDecoder;

/**
 * Damaged files against PIL 9.4 (issue 22 item 10): a seeded corpus of mutants of the decoder fixtures
 * (truncated, bit-flipped, overwritten, junk before a JPEG marker, trailing garbage, a PNG without IEND, with
 * a bad CRC, without an ancillary chunk or with corrupt compressed data), written with PIL's verdict on each
 * by {@code tools/make_mutation_corpus.py} into {@code src/test/resources/mutations}. A verdict agrees when
 * both refuse the file, or both decode it to the same pixels. The test prints how many agree and each
 * disagreement, and fails when fewer agree than {@link #AGREE_AT_LEAST} (the count when it was written).
 */
class MutationCorpusTest {
    /** Agreements when the corpus was made (PIL 9.4.0, seed 22): raise it when a disagreement is fixed. */
    static final int AGREE_AT_LEAST = 245;

    @Test
    void verdictsAgreeWithPil() throws Exception {
        List<String> lines;
        try (InputStream in = getClass().getResourceAsStream("/mutations/verdicts.tsv")) {
            Assumptions.assumeTrue(in != null, "no corpus at src/test/resources/mutations: generate it with "
                    + "/usr/bin/python3 tools/make_mutation_corpus.py --out src/test/resources/mutations (python3-pil)");
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
        }
        int agree = 0;
        List<String> differ = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.split("\t");
            byte[] bytes;
            try (InputStream in = getClass().getResourceAsStream("/mutations/" + f[0])) {
                bytes = in.readAllBytes();
            }
            String ours;
            try {
                Image img = ImageDecoder.decode(bytes);
                ours = "ok\t" + img.width() + "x" + img.height() + "\t"
                        + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(img.data()));
            } catch (BadImageException e) {
                ours = "error\t" + e.getMessage();
            }
            boolean same = f[1].equals("error") ? ours.startsWith("error")
                    : ours.equals(f[1] + "\t" + f[2] + "\t" + f[3]);
            if (same) {
                agree++;
            } else {
                differ.add(String.format("%-40s PIL: %-60s selfsup: %s", f[0], abbreviate(f, 1),
                        abbreviate(ours.split("\t"), 0)));
            }
        }
        System.out.printf("mutation corpus: %d of %d verdicts agree with PIL 9.4%n", agree, lines.size());
        differ.forEach(System.out::println);
        assertTrue(agree >= AGREE_AT_LEAST, agree + " of " + lines.size() + " agree, fewer than " + AGREE_AT_LEAST
                + ":\n" + String.join("\n", differ));
    }

    private static String abbreviate(String[] f, int from) {
        String s = String.join(" ", java.util.Arrays.copyOfRange(f, from, f.length));
        return s.length() > 70 ? s.substring(0, 70) + "..." : s;
    }
}
