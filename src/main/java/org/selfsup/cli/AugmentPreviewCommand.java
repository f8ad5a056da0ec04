package org.selfsup.cli;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.selfsup.augment.PreviewGrid;
import org.selfsup.augment.ViewPlan;
import org.selfsup.augment.plans.PlanOptions;
import org.selfsup.augment.plans.ViewPlans;
import org.selfsup.data.Dataset;
import org.selfsup.data.ImageSet;
import org.selfsup.data.readers.DatasetRegistry;
import org.selfsup.util.UserException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Write a PNG grid of source images and their views. */
@Command(name = "preview", mixinStandardHelpOptions = true,
        description = {"Write a PNG grid of source images and their views.",
                "One row per source image (spread evenly over the split): the source in the first column, "
                        + "then the plan's views as epoch 0 of a run with --seed makes them, upscaled by --scale."})
public final class AugmentPreviewCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--dataset", defaultValue = "fashion-mnist", completionCandidates = Candidates.Datasets.class,
            description = "Data set name (${COMPLETION-CANDIDATES}). Default: ${DEFAULT-VALUE}.")
    String dataset;

    @Option(names = "--data-dir", description = "Data set directory (not needed for the embedded fashion-mnist subset or synthetic). "
            + "Default: none.")
    Path dataDir;

    @Option(names = "--split", defaultValue = "pretrain", description = "Split to draw from: pretrain, train or test. Default: ${DEFAULT-VALUE}.")
    String split;

    @Option(names = "--plan", defaultValue = "rsa", completionCandidates = Candidates.Plans.class,
            description = "View plan (${COMPLETION-CANDIDATES}). Default: ${DEFAULT-VALUE}.")
    String plan;

    @Option(names = "--out", required = true, description = "Output PNG file (written atomically). Required.")
    Path out;

    @Option(names = "--count", defaultValue = "8", description = "Number of source images (rows). Default: ${DEFAULT-VALUE}.")
    int count;

    @Option(names = "--seed", defaultValue = "0", description = "Run seed the views are drawn with. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--scale", defaultValue = "4", description = "Nearest-neighbour upscaling factor. Default: ${DEFAULT-VALUE}.")
    int scale;

    @Option(names = "--size", defaultValue = "0", description = "View side in pixels, 0 = the data set's view size. Default: ${DEFAULT-VALUE}.")
    int size;

    @Option(names = "--randaug-n", defaultValue = "2", description = "RandAugment N of the DSSL heavy views. Default: ${DEFAULT-VALUE}.")
    int randAugN;

    @Option(names = "--randaug-m", defaultValue = "9", description = "RandAugment M (0-30) of the DSSL heavy views. Default: ${DEFAULT-VALUE}.")
    int randAugM;

    @Option(names = "--relative-magnitudes", defaultValue = "false",
            description = "RandAugment pixel magnitudes relative to the image size (x side/224). Default: ${DEFAULT-VALUE}.")
    boolean relative;

    @Override
    public void run() {
        OutputFlags.required("--out", out);
        if (count < 1 || count > 256) {
            throw new UserException("--count must be in 1..256, got " + count);
        }
        if (scale < 1 || scale > 16) {
            throw new UserException("--scale must be in 1..16, got " + scale);
        }
        if (size < 0) {
            throw new UserException("--size must be >= 0, got " + size);
        }
        if (randAugN < 0 || randAugM < 0 || randAugM > 30) {
            throw new UserException("--randaug-n must be >= 0 and --randaug-m in 0..30");
        }
        PlanOptions opts = PlanOptions.defaults().withRandAugment(randAugN, randAugM).withRelativeMagnitudes(relative);
        // check the plan name before loading data, so a typo fails fast
        try {
            ViewPlans.create(plan, 32, opts);
        } catch (UserException e) {
            throw new UserException("--plan: " + e.getMessage(), e); // name the flag
        }
        Dataset ds = DatasetRegistry.load(dataset, dataDir, null);
        ImageSet store = switch (split) {
            case "pretrain" -> ds.pretrain();
            case "train" -> ds.train();
            case "test" -> ds.test();
            default -> throw new UserException("--split must be pretrain, train or test, got '" + split + "'");
        };
        if (store == null) {
            throw new UserException("--split test: " + dataset + " has no test split");
        }
        if (store.size() == 0) {
            throw new UserException("--split " + split + " of " + dataset + " has no images");
        }
        ViewPlan viewPlan = ViewPlans.create(plan, size > 0 ? size : ds.viewSize(), opts);
        int[] idx = PreviewGrid.spread(store.size(), count);
        try {
            PreviewGrid.writePng(PreviewGrid.render(store, viewPlan, idx, seed, scale), out);
        } catch (UncheckedIOException e) {
            throw new UserException("--out: " + e.getMessage(), e);
        }
        spec.commandLine().getOut().printf("wrote %s: %d %s images (%s split of %s) with %s views %s%n",
                out, idx.length, store.fullResolution() ? "full-resolution"
                        : store.rgb(idx[0]).height() + "x" + store.rgb(idx[0]).width(), split, dataset, viewPlan.name(), viewPlan.viewNames());
        spec.commandLine().getOut().flush();
    }
}
