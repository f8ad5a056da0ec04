package org.selfsup.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfsup.cli.ExitException;
import org.selfsup.cli.Main;
import org.selfsup.util.UserException;
import picocli.CommandLine;

/**
 * Exit codes of the CLI: 0 ok, 1 internal error (with the trace), 2 user error or unwritable/unreadable file
 * (one line), 3 diverged (loss NaN/inf), 130 interrupted (SIGINT; see {@link SignalTest} for the
 * shutdown path, which the JVM reports as 128 + signal number).
 */
class ExitCodesTest {
    @TempDir
    Path dir;

    /** A command that throws what it is given. */
    @CommandLine.Command(name = "boom")
    static final class Boom implements java.util.concurrent.Callable<Integer> {
        RuntimeException toThrow;

        @Override
        public Integer call() {
            throw toThrow;
        }
    }

    private static String[] run(RuntimeException e) {
        CommandLine cl = Main.newCommandLine();
        Boom boom = new Boom();
        boom.toThrow = e;
        cl.addSubcommand("boom", new CommandLine(boom));
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute("boom");
        return new String[] {String.valueOf(code), err.toString()};
    }

    @Test
    void exceptionsMapToExitCodes() {
        String[] bug = run(new IllegalStateException("an invariant broke"));
        assertEquals("1", bug[0]);
        assertTrue(bug[1].startsWith("error: internal error") && bug[1].contains("\tat "), bug[1]);

        String[] user = run(new UserException("--k: must be positive, got 0"));
        assertEquals("2", user[0]);
        assertEquals("error: --k: must be positive, got 0", user[1].strip());

        String[] wrapped = run(new IllegalStateException("outer", new UserException("data-dir: missing")));
        assertEquals("2", wrapped[0]);
        assertEquals("error: data-dir: missing", wrapped[1].strip());

        String[] io = run(new UncheckedIOException("cannot write runs/x/metrics.jsonl",
                new IOException("No space left on device")));
        assertEquals("2", io[0]);
        assertEquals("error: cannot write runs/x/metrics.jsonl: No space left on device", io[1].strip());

        String[] fs = run(new UncheckedIOException(new NoSuchFileException("/gone/report.html")));
        assertEquals("2", fs[0]);
        assertEquals("error: /gone/report.html: no such file or folder", fs[1].strip());

        String[] exit = run(new ExitException(3, "loss is NaN"));
        assertEquals("3", exit[0]);
    }

    @Test
    void divergedTrainingExitsWithThree() throws Exception {
        Path data = ChildRuns.writeData(dir.resolve("data"));
        List<String> args = ChildRuns.trainArgs(dir.resolve("runs"), "nan", data, 1);
        args.set(args.indexOf("--lr") + 1, "1e30");
        args.set(args.indexOf("--knn-every") + 1, "0");
        ChildRuns.Result r = ChildRuns.inProcess(args);
        assertEquals(3, r.code(), r.all());
        assertTrue(r.all().contains("training stopped"), r.all());
        assertFalse(r.all().contains("Exception"), r.all());
    }
}
