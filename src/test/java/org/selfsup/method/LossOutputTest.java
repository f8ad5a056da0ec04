package org.selfsup.method;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Loss diagnostics come out in one order whatever order the method's map had (metrics.jsonl key order). */
class LossOutputTest {
    @Test
    void keysAreSorted() {
        for (int k = 0; k < 20; k++) {
            // Map.of's order depends on a per-JVM salt; many sizes and names make an unsorted order certain
            Map<String, Double> schedule = Map.of("zeta" + k, 1.0, "alpha", 2.0, "mid" + k, 3.0, "beta", 4.0);
            LossOutput out = new LossOutput(null, Map.of(), Map.of(), schedule);
            assertEquals(List.of("alpha", "beta", "mid" + k, "zeta" + k), List.copyOf(out.schedule().keySet()));
        }
    }

    @Test
    void theBuilderFillsEachPartAndSortsIt() {
        LossOutput out = LossOutput.of(null).term("loss_s", null).term("loss_a", null).shift("x21", null)
                .shift("x11", null).schedule("beta", 0.5).stat("zz", null).build();
        assertEquals(List.of("loss_a", "loss_s"), List.copyOf(out.terms().keySet()));
        assertEquals(List.of("x11", "x21"), List.copyOf(out.shift().keySet()));
        assertEquals(Map.of("beta", 0.5), out.schedule());
        assertEquals(List.of("aa", "zz"), List.copyOf(out.withStat("aa", null).stats().keySet()));
    }
}
