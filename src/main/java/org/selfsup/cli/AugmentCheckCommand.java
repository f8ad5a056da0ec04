package org.selfsup.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.selfsup.augment.golden.GoldenCheck;
import org.selfsup.augment.golden.OpConformance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code selfsup augment check --golden DIR}: runs every golden reference case and prints, per op,
 * the number of cases, the fraction of output values identical to the reference and the largest
 * absolute difference. Exit 0 if every op passes (at least 99% identical, none off by more than 1),
 * 1 if some op fails, 2 for an unusable folder.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Run golden reference cases and compare with PIL/torchvision outputs. "
                + "Exit 0 if every op has >= 99% identical values and none off by more than 1, "
                + "1 if some op fails, 2 if the folder is unusable.")
public final class AugmentCheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--golden", required = true, paramLabel = "DIR",
            description = "Folder with cases.jsonl and the .u8 images (required; no default).")
    Path golden;

    @Override
    public Integer call() {
        List<OpConformance> results = GoldenCheck.run(golden);
        PrintWriter out = spec.commandLine().getOut();
        int failed = 0;
        for (OpConformance r : results) {
            out.println(GoldenCheck.format(r));
            if (!r.passes()) {
                failed++;
            }
        }
        out.println(failed == 0 ? "all " + results.size() + " ops pass"
                : failed + " of " + results.size() + " ops FAIL (need >= 99% identical and max abs diff <= 1)");
        out.flush();
        return failed == 0 ? 0 : 1;
    }
}
