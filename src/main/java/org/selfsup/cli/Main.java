package org.selfsup.cli;

import java.io.PrintWriter;
import org.selfsup.util.UserException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the {@code selfsup} command line. Subcommands are thin: they parse and validate
 * flags, then call the library layers.
 *
 * <p>Exit codes: 0 success, 1 internal error (a bug: stack trace printed), 2 user error (bad flag,
 * configuration value or input file: one line, no stack trace), 3 training stopped because the loss
 * became NaN or infinite, 130 interrupted.
 */
@Command(name = "selfsup",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Self-supervised visual representation learning with aggressive augmentations "
                + "(RSA, DSSL, BYOL, SimSiam) on DJL.",
        subcommands = {
            TrainCommand.class,
            EvalCommand.class,
            AugmentCommand.class,
            DataCommand.class,
            BenchCommand.class,
            ReportCommand.class,
            ExportCommand.class,
            EmbedCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {
    /** Exit code for user errors: bad flags, configuration values or input files. */
    public static final int EXIT_USER_ERROR = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Runs the CLI and returns the exit code (used by tests). */
    public static int execute(String... args) {
        return newCommandLine().execute(args);
    }

    /** A configured command line: user errors print one line and exit with code 2. */
    public static CommandLine newCommandLine() {
        Engines.configureOffline();
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            Throwable t = ex;
            while (t != null && !(t instanceof UserException)) {
                t = t.getCause();
            }
            PrintWriter err = cmd.getErr();
            if (t != null) {
                err.println("error: " + t.getMessage());
                err.flush();
                return EXIT_USER_ERROR;
            }
            if (ex instanceof ExitException ee) {
                err.println("error: " + ee.getMessage());
                err.flush();
                return ee.code();
            }
            throw ex;
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine cmd = ex.getCommandLine();
            PrintWriter err = cmd.getErr();
            err.println("error: " + ex.getMessage());
            err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
            err.flush();
            return EXIT_USER_ERROR;
        });
        return cl;
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }
}
