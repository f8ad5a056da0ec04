package org.selfsup.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bucketed gradient all-reduce over MPI on 2 processes: awkward sizes, bucket boundaries, exact means. */
class AllReduceTest {
    @Test
    void twoRanksAverageEveryElementExactly(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(MpiRuns.unavailable() == null, MpiRuns.unavailable());
        Path log = dir.resolve("log.txt");
        int code = MpiRuns.run(2, log, AllReduceChild.class.getName(), List.of(), 180);
        String out = Files.readString(log);
        assertEquals(0, code, out);
        assertTrue(out.contains("rank 0 OK 2") && out.contains("rank 1 OK 2"), out);
    }
}
