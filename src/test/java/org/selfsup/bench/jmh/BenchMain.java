package org.selfsup.bench.jmh;

import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/**
 * Runs the JMH benchmarks of this package (test sources: JMH is not in the selfsup jar). Arguments are JMH's own command line (include regexps,
 * {@code -f}, {@code -wi}, {@code -i}, {@code -w}, {@code -r}, {@code -p plan=rsa}, {@code -rf json} ...);
 * without an include pattern every selfsup benchmark runs. Defaults (1 fork, 2 warm-up and 3
 * measurement iterations of 1 s) come from the benchmark annotations. Example:
 * <pre>
 * mvn -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) org.selfsup.bench.jmh.BenchMain ImageOps
 * </pre>
 */
public final class BenchMain {
    private BenchMain() {}

    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        CommandLineOptions options = new CommandLineOptions(args);
        if (options.getIncludes().isEmpty()) {
            String[] withInclude = new String[args.length + 1];
            System.arraycopy(args, 0, withInclude, 0, args.length);
            withInclude[args.length] = "org\\.selfsup\\.bench\\.jmh\\..*";
            options = new CommandLineOptions(withInclude);
        }
        new Runner(options).run();
    }
}
