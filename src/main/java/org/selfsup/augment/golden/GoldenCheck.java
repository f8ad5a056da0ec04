package org.selfsup.augment.golden;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.selfsup.data.Image;

/** Runs golden cases and summarises, per op, how closely the outputs match the reference. */
public final class GoldenCheck {
    private GoldenCheck() {
    }

    /** Loads the folder ({@link GoldenCases#load}) and checks every case. */
    public static List<OpConformance> run(Path dir) {
        return run(GoldenCases.load(dir));
    }

    /** Checks the given cases; one result per op, in order of first appearance. */
    public static List<OpConformance> run(List<GoldenCase> cases) {
        Map<String, OpConformance> byOp = new LinkedHashMap<>();
        for (GoldenCase c : cases) {
            Image actual = GoldenOps.create(c.op(), c.params(), "case " + c.id()).apply(c.input());
            OpConformance sofar = byOp.getOrDefault(c.op(), new OpConformance(c.op(), 0, 0, 0, 0));
            byOp.put(c.op(), compare(sofar, actual, c.expected()));
        }
        return new ArrayList<>(byOp.values());
    }

    private static OpConformance compare(OpConformance sofar, Image actual, Image expected) {
        byte[] e = expected.data();
        if (actual.height() != expected.height() || actual.width() != expected.width()
                || actual.channels() != expected.channels()) {
            return sofar.plus(e.length, 0, 255);
        }
        byte[] a = actual.data();
        long same = 0;
        int maxDiff = 0;
        for (int i = 0; i < e.length; i++) {
            int d = Math.abs((a[i] & 0xFF) - (e[i] & 0xFF));
            if (d == 0) {
                same++;
            } else if (d > maxDiff) {
                maxDiff = d;
            }
        }
        return sofar.plus(e.length, same, maxDiff);
    }

    /** The per-op line printed by {@code selfsup augment check}. */
    public static String format(OpConformance r) {
        return String.format(java.util.Locale.ROOT, "%-20s cases=%-3d identical=%.6f max_abs_diff=%-3d %s",
                r.op(), r.cases(), r.fractionIdentical(), r.maxAbsDiff(), r.passes() ? "ok" : "FAIL");
    }
}
