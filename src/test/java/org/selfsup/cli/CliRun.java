package org.selfsup.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/**
 * One in-process run of the {@code selfsup} command line, as the tests see it: exit code and what was
 * printed to standard output and standard error.
 */
public record CliRun(int code, String out, String err) {
    /** Runs {@code selfsup args...} through {@link Main#newCommandLine()} with captured output. */
    public static CliRun execute(String... args) {
        CommandLine cl = Main.newCommandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }
}
