package org.selfsup.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.selfsup.report.RunComparison;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Overlay several runs in one chart and a table. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Overlay several runs (kNN accuracy, loss, semantic shift) in one chart each and write a "
                + "table (compare.md, compare.csv, compare.html).")
public final class ReportCompareCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "RUN_DIR", description = "Run directories to compare.")
    List<Path> runs;

    @Option(names = "--out", defaultValue = "compare",
            description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() {
        OutputFlags.required("--out", out);
        Path html = RunComparison.compare(runs, out, spec.commandLine().getErr()::println);
        spec.commandLine().getOut().println("comparison: " + html);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
