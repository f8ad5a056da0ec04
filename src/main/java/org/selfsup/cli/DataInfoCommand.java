package org.selfsup.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.selfsup.data.Dataset;
import org.selfsup.data.ImageSet;
import org.selfsup.data.ImageStats;
import org.selfsup.data.ImageStore;
import org.selfsup.data.stream.ImageDecoder;
import org.selfsup.data.stream.StreamedImages;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Counts per split, classes, image size and per-channel mean/std of a data set. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Counts per split, classes, image size and per-channel mean/std of a data set.")
public final class DataInfoCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    DatasetOptions data;

    @Override
    public void run() {
        Dataset d = data.load();
        PrintWriter out = spec.commandLine().getOut();
        String source = data.dataDir != null ? data.dataDir.toString()
                : d.name().equals("synthetic") ? "generated"
                : data.download ? "downloaded to the cache folder" : "embedded subset";
        out.printf(Locale.ROOT, "dataset: %s (%s)%n", d.name(), source);
        out.printf(Locale.ROOT, "view size: %d, normalisation mean %s std %s%n", d.viewSize(),
                fmt(d.normalization().mean()), fmt(d.normalization().std()));
        out.printf(Locale.ROOT, "%-26s %8s %9s %8s  %-22s %s%n", "split", "images", "size", "channels",
                "mean (0..1)", "std (0..1)");
        List<ImageSet> splits = new ArrayList<>();
        if (d.pretrain() != d.train()) {
            splits.add(d.pretrain());
        }
        splits.add(d.train());
        if (d.test() != null) {
            splits.add(d.test());
        }
        List<String> notes = new ArrayList<>();
        for (ImageSet s : splits) {
            if (s instanceof ImageStore m) {
                double[][] ms = ImageStats.meanStd(m);
                out.printf(Locale.ROOT, "%-26s %8d %9s %8d  %-22s %s%n", s.name(), s.size(),
                        m.height() + "x" + m.width(), m.channels(), fmt(ms[0]), fmt(ms[1]));
            } else {
                out.printf(Locale.ROOT, "%-26s %8d %9s %8d  %s%n", s.name(), s.size(), "full-res", 3,
                        "streamed from files, decoded every epoch");
                if (s instanceof StreamedImages st) {
                    st.notes().forEach(n -> notes.add(s.name() + ": " + n));
                }
            }
        }
        if (d.fullResolution()) {
            out.println("decoder: " + ImageDecoder.describe() + ", as PIL 9.4 Image.open(f).convert('RGB')");
        }
        if (d.pretrain() == d.train()) {
            out.println("pretraining uses the train split");
        }
        if (d.whyNoEvaluation() != null) {
            out.println("no evaluation (kNN monitor, probes): " + d.whyNoEvaluation());
        }
        notes.forEach(n -> out.println("note: " + n));
        if (d.numClasses() > 0) {
            int[] tr = ImageStats.classCounts(d.train());
            int[] te = d.test() == null ? new int[0] : ImageStats.classCounts(d.test());
            out.printf(Locale.ROOT, "classes: %d%n", d.numClasses());
            out.printf(Locale.ROOT, "  %5s  %-24s %8s %8s%n", "label", "name", "train", "test");
            for (int c = 0; c < d.numClasses(); c++) {
                out.printf(Locale.ROOT, "  %5d  %-24s %8d %8d%n", c, d.train().classNames().get(c), tr[c],
                        c < te.length ? te[c] : 0);
            }
        } else {
            out.println("classes: none (unlabelled)");
        }
        out.flush();
    }

    private static String fmt(double[] v) {
        StringBuilder sb = new StringBuilder();
        for (double x : v) {
            sb.append(sb.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.4f", x));
        }
        return sb.toString();
    }

    private static String fmt(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return fmt(d);
    }
}
