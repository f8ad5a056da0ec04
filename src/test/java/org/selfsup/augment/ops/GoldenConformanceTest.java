package org.selfsup.augment.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.selfsup.augment.golden.GoldenCase;
import org.selfsup.augment.golden.GoldenCases;
import org.selfsup.augment.golden.GoldenCheck;
import org.selfsup.augment.golden.GoldenOps;
import org.selfsup.augment.golden.OpConformance;

/** Every op reproduces the PIL 9.4 / torchvision 0.14 reference outputs of the golden set. */
class GoldenConformanceTest {
    private static List<GoldenCase> cases;
    private static Map<String, OpConformance> results;

    @BeforeAll
    static void run() {
        cases = GoldenCases.load(GoldenTestData.dir());
        results = GoldenCheck.run(cases).stream()
                .collect(Collectors.toMap(OpConformance::op, Function.identity()));
    }

    @Test
    void goldenSetCoversEveryOp() {
        assertEquals(162, cases.size());
        assertEquals(Set.copyOf(GoldenOps.NAMES), results.keySet());
    }

    @Test
    void everyOpMeetsTheBar() {
        for (OpConformance r : results.values()) {
            assertTrue(r.passes(), () -> GoldenCheck.format(r));
            assertEquals(6, r.cases(), r.op());
        }
    }

    @Test
    void everyOpIsBitExact() {
        // Stricter than the bar: the implementation reproduces Pillow's arithmetic exactly.
        for (OpConformance r : results.values()) {
            assertEquals(r.values(), r.identical(), () -> GoldenCheck.format(r));
        }
    }
}
