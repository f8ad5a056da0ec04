package org.selfsup.cli;

import java.nio.file.Path;
import java.util.Locale;
import org.selfsup.data.BadImagePolicy;
import org.selfsup.data.DataOptions;
import org.selfsup.data.Dataset;
import org.selfsup.data.readers.DatasetRegistry;
import org.selfsup.util.UserException;
import picocli.CommandLine.Option;

/**
 * Data set flags shared by commands (a picocli mixin: {@code @Mixin DatasetOptions data;}).
 * {@link #load()} turns them into a {@link Dataset} through {@link DatasetRegistry}.
 */
public final class DatasetOptions {
    @Option(names = "--dataset", paramLabel = "NAME", defaultValue = "fashion-mnist",
            completionCandidates = Candidates.Datasets.class,
            description = "Data set: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}; without --data-dir "
                    + "fashion-mnist is the embedded 10k/2k subset).")
    public String dataset = "fashion-mnist";

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Folder holding the data set's files (default: none; required except for the embedded "
                    + "fashion-mnist subset, synthetic data and --download).")
    public Path dataDir;

    @Option(names = "--download", defaultValue = "false", completionCandidates = Candidates.Downloadable.class,
            description = "Download the official files of ${COMPLETION-CANDIDATES} into --data-dir "
                    + "(or <cache-dir>/datasets/NAME) if they are missing, with checksum checks (default: ${DEFAULT-VALUE}).")
    public boolean download;

    @Option(names = "--image-size", paramLabel = "PX", defaultValue = "0",
            description = "View size in pixels; 0 = the data set's default (CIFAR 32, STL-10 64, (Fashion-)MNIST 28, "
                    + "folders 224; folders are decoded at full resolution) (default: ${DEFAULT-VALUE}).")
    public int imageSize;

    @Option(names = "--on-bad-image", paramLabel = "POLICY", defaultValue = "skip",
            completionCandidates = Candidates.BadImagePolicies.class,
            description = "Unreadable image in a folder or list (${COMPLETION-CANDIDATES}): skip it with one warning naming "
                    + "it, or fail naming it (default: ${DEFAULT-VALUE}).")
    public String onBadImage = "skip";

    @Option(names = "--labels", paramLabel = "SOURCE", defaultValue = "folders",
            completionCandidates = Candidates.LabelSources.class,
            description = "Labels of image folders (${COMPLETION-CANDIDATES}): one sub-folder per class, or none (every "
                    + "image below the folder is unlabelled) (default: ${DEFAULT-VALUE}).")
    public String labels = "folders";

    @Option(names = "--preresize-max-side", paramLabel = "N", defaultValue = "0",
            description = "Image folders, list files, shards: cap every picture's longer side at N px (aspect kept, never "
                    + "cropped, bicubic; FFCV's max_resolution) once, in a store under --cache-dir read instead of the "
                    + "originals, for slow disks. Departs from the papers: crops come from the downsampled picture. "
                    + "0 = off, else 16..16384 (default: ${DEFAULT-VALUE}).")
    public int preresizeMaxSide;

    @Option(names = "--cache-dir", paramLabel = "DIR",
            description = "Cache of downloads, folder indexes and pre-resized stores (default: $XDG_CACHE_HOME/selfsup, "
                    + "else ~/.cache/selfsup).")
    public Path cacheDir;

    /** The options as a {@link DataOptions}; throws UserException for a bad flag value. */
    public DataOptions toDataOptions() {
        DataOptions o = new DataOptions();
        o.imageSize = imageSize;
        o.unlabelled = DataOptions.unlabelled(labels);
        o.download = download;
        o.cacheDir = cacheDir;
        o.preresizeMaxSide = preresizeMaxSide;
        o.preresizer = org.selfsup.augment.ops.CapLongerSide.PIL_BICUBIC;
        o.onBadImage = DataOptions.policy(onBadImage);
        return o;
    }

    /** Loads the selected data set. */
    public Dataset load() {
        DatasetRegistry.checkName(dataset);
        return DatasetRegistry.load(dataset, dataDir, toDataOptions());
    }
}
