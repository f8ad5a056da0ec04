package org.selfsup.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import org.selfsup.util.UserException;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * Entry point of the {@code selfsup} command line. Subcommands are thin: they parse and validate
 * flags, then call the library layers.
 *
 * <p>Exit codes: 0 success, 1 internal error (a bug: stack trace printed), 2 user error (bad flag,
 * configuration value or input file, or a file that cannot be read or written — full disk, read-only or
 * missing folder: one line, no stack trace), 3 training stopped because the loss became NaN or infinite,
 * 4 a data-parallel rank stopped because another rank died or hangs ({@code dist-timeout}),
 * 128 + n when stopped by signal n: 130 for Ctrl-C (SIGINT), 143 for SIGTERM, 129 for SIGHUP (a checkpoint
 * being written is finished first, see {@code util.AtomicFiles}; {@link StopSignals}).
 */
@Command(name = "selfsup",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Self-supervised visual representation learning with aggressive augmentations "
                + "(RSA, DSSL, BYOL, SimSiam) on DJL.",
        subcommands = {
            TrainCommand.class,
            EvalCommand.class,
            AnalyzeCommand.class,
            AugmentCommand.class,
            DataCommand.class,
            BenchCommand.class,
            ReportCommand.class,
            ExportCommand.class,
            ImportCommand.class,
            EmbedCommand.class,
            DoctorCommand.class,
            LaunchCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {
    /** Exit code for an internal error (a bug): the stack trace is printed. */
    public static final int EXIT_INTERNAL_ERROR = 1;
    /** Exit code for user errors: bad flags, configuration values or input files, unwritable outputs. */
    public static final int EXIT_USER_ERROR = 2;
    private static volatile boolean exiting;

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
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> handle(ex, cmd.getErr()));
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine cmd = ex.getCommandLine();
            PrintWriter err = cmd.getErr();
            String hint = "";
            if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
                hint = "; did you mean " + String.join(" or ", u.getSuggestions().subList(0,
                        Math.min(3, u.getSuggestions().size()))) + "?";
            }
            err.println("error: " + ex.getMessage() + hint);
            err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
            err.flush();
            return EXIT_USER_ERROR;
        });
        return cl;
    }

    /** Maps an exception out of a command to its message and exit code. */
    static int handle(Exception ex, PrintWriter err) {
        UserException user = find(ex, UserException.class);
        if (user != null) {
            err.println("error: " + user.getMessage());
        } else if (ex instanceof ExitException ee) {
            err.println("error: " + ee.getMessage());
            err.flush();
            return ee.code();
        } else if (find(ex, IOException.class) != null) {
            // a full disk, a read-only or vanished folder: the user's environment, not a bug
            err.println("error: " + describeIo(ex));
        } else {
            err.println("error: internal error (please report it with the trace below): " + ex);
            ex.printStackTrace(err);
            err.flush();
            return EXIT_INTERNAL_ERROR;
        }
        err.flush();
        return EXIT_USER_ERROR;
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    /** One line: the outermost message that says what was being done, and the OS's reason. */
    static String describeIo(Throwable ex) {
        IOException io = find(ex, IOException.class);
        String reason = org.selfsup.util.IoMessages.reason(io);
        String what = null;
        for (Throwable t = ex; t != null && t != io; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && !m.isBlank() && !m.contains("Exception")) {
                what = m; // a wrapper's context, e.g. "cannot write the report of runs/x"
                break;
            }
        }
        return what == null || reason.contains(what) ? reason : what + ": " + reason;
    }

    /**
     * Runs the CLI and exits with its code (0 ok, 1 internal error, 2 user error, 3 diverged, 128 + n after
     * signal n: 130 SIGINT, 143 SIGTERM).
     */
    public static void main(String[] args) {
        // A stop signal runs the shutdown hooks with exit code 128 + n; tell the user which and how to continue.
        StopSignals.install();
        // A stop signal: after selfsup's other hooks, end with _exit(128 + n), skipping the native exit path
        // (libtorch's static destructors crash a training thread still inside an operation).
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (!exiting) {
                System.err.println(StopSignals.message(StopSignals.received()));
                sun.misc.Signal sig = StopSignals.received();
                if (sig != null) {
                    StopSignals.endAfterHooks(StopSignals.exitCode(sig.getNumber()));
                }
            }
        }, "selfsup-interrupted"));
        int code = EXIT_INTERNAL_ERROR;
        try {
            code = execute(args);
        } catch (OutOfMemoryError e) {
            System.err.println("error: out of Java heap memory (" + e.getMessage() + "); give the JVM more with"
                    + " SELFSUP_HEAP=16g (launcher) or -Xmx");
        } finally {
            exiting = true; // any other Error propagates with its trace (exit code 1), not as "interrupted"
        }
        System.exit(code);
    }
}
