package org.selfsup.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.selfsup.config.ConfigKeys;
import org.selfsup.config.ConfigLayer;
import org.selfsup.config.ConfigResolver;
import org.selfsup.config.Preset;
import org.selfsup.config.Presets;
import org.selfsup.config.TrainConfig;
import org.selfsup.config.TrainJob;
import org.selfsup.job.PretrainJob;
import org.selfsup.util.Names;
import org.selfsup.util.UserException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code selfsup train}: builds the effective configuration (preset, then {@code --config} file, then
 * flags), prints it with the run folder and hands it to the {@link TrainJob}.
 *
 * <p>There is one flag per {@link TrainConfig} key ({@code --batch-size}, {@code --lr}, ...); they are
 * generated from the keys by {@link ConfigFlags}, so the flags, the file keys and the saved config can
 * never disagree. A flag that is not given leaves the preset's or file's value.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false, abbreviateSynopsis = true,
        modelTransformer = TrainCommand.ConfigFlags.class,
        description = {"Pretrain an encoder with a self-supervised method.",
            "",
            "The configuration is built in layers: the preset (--preset, else the config file's 'preset' key, "
                    + "else demo), then the --config file, then the flags below; later layers win. The "
                    + "effective configuration is printed and saved in the run folder <runs-dir>/<name>."},
        footer = {"",
            "Re-running the same command (same --name) continues the run from its last checkpoint.",
            "Exit codes: 0 done, 1 internal error (a bug: stack trace), 2 bad flag, file or value (one error line), "
                    + "3 loss became NaN or infinite (the last good checkpoint is kept), 128 + n when stopped by "
                    + "signal n: 130 Ctrl-C (SIGINT), 143 SIGTERM (kill, job schedulers), 129 SIGHUP. A signal lets "
                    + "a checkpoint being written finish; re-run to resume."})
public final class TrainCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandSpec spec;

    @Option(names = "--preset", paramLabel = "NAME", order = -10,
            description = "Preset to start from (see --list-presets). "
                    + "Default: the config file's 'preset' key, else " + Presets.DEFAULT + ".")
    String preset;

    @Option(names = "--config", paramLabel = "FILE", order = -9,
            description = "Configuration file (.yaml, .yml or .json) applied over the preset; flags override it. "
                    + "Default: none.")
    Path configFile;

    @Option(names = "--resume", order = -8,
            description = "Continue the run in the run folder from its last checkpoint, with its saved "
                    + "configuration unless --preset or --config is given (flags still apply). "
                    + "Default: ${DEFAULT-VALUE}.")
    boolean resume;

    @Option(names = "--list-presets", order = -7,
            description = "List the presets with their sources and exit. Default: ${DEFAULT-VALUE}.")
    boolean listPresets;

    @Option(names = "--print-config", order = -6,
            description = "Print the effective configuration as YAML and exit (usable as a --config file). "
                    + "Default: ${DEFAULT-VALUE}.")
    boolean printConfig;

    /** Unknown options are collected (not rejected by picocli) so that the error can suggest a flag. */
    @CommandLine.Unmatched
    List<String> unmatched = new ArrayList<>();

    private TrainJob job;

    /** Replaces the job (tests use a fake; by default {@link PretrainJob}). */
    void setJob(TrainJob job) {
        this.job = job;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        rejectUnmatched();
        if (listPresets) {
            printPresets(out);
            return 0;
        }
        ConfigLayer flags = ConfigLayer.fromFlags(ConfigFlags.given(spec));
        TrainConfig config = resume
                ? ConfigResolver.resolveForResume(preset, configFile, flags)
                : ConfigResolver.resolve(preset, configFile, flags);
        if (printConfig) {
            out.print(config.toYaml());
            out.flush();
            return 0;
        }
        TrainJob j = job != null ? job : new PretrainJob();
        j.check(config, resume); // a busy folder or nothing to resume: one error line, not the configuration first
        if (org.selfsup.distributed.World.detect().writer()) { // data-parallel ranks > 0 print only errors
            out.println("run folder: " + config.runDirPath());
            out.println("effective configuration:");
            config.toYaml().lines().forEach(line -> out.println("  " + line));
            out.flush();
        }
        return j.run(config, resume, out);
    }

    private void rejectUnmatched() {
        if (unmatched.isEmpty()) {
            return;
        }
        String first = unmatched.stream().filter(a -> a.startsWith("-")).findFirst().orElse(null);
        if (first == null) {
            throw new UserException("unexpected argument '" + unmatched.get(0) + "' (train takes only options; "
                    + "see 'selfsup train --help')");
        }
        String flag = first.split("=", 2)[0];
        List<String> known = new ArrayList<>();
        for (OptionSpec o : spec.options()) {
            known.add(o.longestName());
        }
        throw new UserException("unknown option '" + flag + "'" + Names.didYouMean(flag, known)
                + "; see 'selfsup train --help'");
    }

    private static void printPresets(PrintWriter out) {
        out.println("Presets (default: " + Presets.DEFAULT + "):");
        for (Preset p : Presets.all()) {
            TrainConfig c = p.config();
            out.printf("  %-22s %s%n", p.name(), p.description());
            out.printf("  %-22s method %s, arch %s, dataset %s, %d epochs, batch %d, lr %s (effective %s)%n", "",
                    c.method, c.arch, c.dataset, c.epochs, c.batchSize, c.lr, (float) c.effectiveLr());
            out.printf("  %-22s from: %s%n", "", p.source());
        }
        out.flush();
    }

    /**
     * Adds one option per configuration key to the command (except {@code preset}, which has its own
     * option), documented with the key's description and the default preset's value. Values are kept as
     * text and converted by {@link ConfigLayer}, so flag errors read like file errors.
     */
    public static final class ConfigFlags implements CommandLine.IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec spec) {
            TrainConfig defaults = Presets.find(Presets.DEFAULT).orElseThrow().config();
            for (String key : ConfigKeys.all()) {
                if (key.equals("preset")) {
                    continue;
                }
                Object value = ConfigKeys.get(defaults, key);
                String shown = ConfigKeys.format(value);
                String description = ConfigKeys.description(key) + " Default: the preset's value ("
                        + Presets.DEFAULT + ": " + (shown.isEmpty() ? "empty" : shown) + ").";
                OptionSpec.Builder b = OptionSpec.builder("--" + key)
                        .type(String.class)
                        .paramLabel("<" + ConfigKeys.typeLabel(key) + ">")
                        .description(description.replace("%", "%%"));
                if (ConfigKeys.isBoolean(key)) {
                    b.arity("0..1").fallbackValue("true");
                }
                if (!ConfigKeys.choices(key).isEmpty()) {
                    b.completionCandidates(ConfigKeys.choices(key));
                }
                spec.addOption(b.build());
            }
            return spec;
        }

        /** The configuration flags given on the command line, by key, as typed. */
        static Map<String, String> given(CommandSpec spec) {
            Map<String, String> values = new LinkedHashMap<>();
            CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
            for (String key : ConfigKeys.all()) {
                String flag = "--" + key;
                if (!key.equals("preset") && parsed.hasMatchedOption(flag)) {
                    values.put(key, parsed.matchedOptionValue(flag, ""));
                }
            }
            return values;
        }
    }
}
