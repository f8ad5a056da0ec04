package org.selfsup.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.selfsup.report.RunReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Rebuild a run's report.html and charts from its metrics.jsonl. */
@Command(name = "render", mixinStandardHelpOptions = true,
        description = "Rebuild RUN_DIR/report.html and RUN_DIR/charts/*.png from RUN_DIR/metrics.jsonl.")
public final class ReportRenderCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "Run directory (holds metrics.jsonl).")
    Path runDir;

    @Override
    public Integer call() {
        Path html = RunReport.render(runDir, spec.commandLine().getErr()::println);
        spec.commandLine().getOut().println("report: " + html);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
